//! `ferdelance time -- CMD ARGS...`: a command's resource usage, like GNU `time -v`.

use std::process::{Command, Stdio};

use super::{CliError, Global, Output};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Print the long report (`time -v`) instead of the `time -p` lines.
    #[arg(short, long)]
    verbose: bool,
    /// The command and its arguments (after `--`).
    #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true, value_name = "CMD")]
    command: Vec<String>,
}

pub(crate) fn run(args: Args, global: &Global) -> Result<Output, CliError> {
    let (program, rest) = args.command.split_first().ok_or_else(|| CliError::usage("no command given"))?;
    let mut cmd = Command::new(program);
    cmd.args(rest);
    if global.json {
        // stdout carries only our JSON object: the command's own output goes to stderr.
        cmd.stdout(Stdio::from(
            std::io::stderr()
                .as_fd()
                .try_clone_to_owned()
                .map_err(|e| CliError::runtime(format!("cannot redirect the command's output: {e}")))?,
        ));
    }
    let (status, usage) =
        timing::run_command(&mut cmd).map_err(|e| CliError::runtime(format!("cannot run `{program}`: {e}")))?;
    // Like GNU time: a command killed by a signal exits with 128 + the signal number.
    let signal = status.signal();
    let code = status.code().unwrap_or_else(|| 128 + signal.unwrap_or(0));
    if let Some(sig) = signal {
        eprintln!("Command terminated by signal {sig}");
    }
    if global.json {
        let json = serde_json::json!({
            "command": args.command,
            "exit_code": status.code(),
            "signal": signal,
            "wall_s": usage.wall.as_secs_f64(),
            "user_s": usage.user.as_secs_f64(),
            "sys_s": usage.sys.as_secs_f64(),
            "cpu_percent": usage.cpu_percent(),
            "max_rss_kb": usage.max_rss_bytes / 1024,
            "minor_faults": usage.minor_faults,
            "major_faults": usage.major_faults,
            "voluntary_switches": usage.voluntary_switches,
            "involuntary_switches": usage.involuntary_switches,
        });
        println!("{json}");
    } else if args.verbose {
        eprintln!("\tCommand being timed: \"{}\"\n{}", args.command.join(" "), usage.verbose());
    } else {
        eprintln!("{usage}");
    }
    Ok(Output::Done(code))
}

use std::os::fd::AsFd;
use std::os::unix::process::ExitStatusExt;
