//! Running the `reuse-cli` binary, shared by the end-to-end test files.

#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

pub fn cli(args: &[&str]) -> Output {
    cli_with_stdin(args, "")
}

pub fn cli_with_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reuse-cli"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("reuse-cli starts");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    let input = stdin.to_string();
    // A writer thread: commands that never read stdin must not block us.
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(input.as_bytes());
    });
    let output = child.wait_with_output().expect("reuse-cli finishes");
    writer.join().expect("stdin writer");
    output
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
