//! healthcheck: exits 0 when the server answers on PORT, for HEALTHCHECK in a shell-less image.
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;

fn main() -> ExitCode {
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".into());
    let Ok(mut s) = TcpStream::connect(format!("127.0.0.1:{port}")) else {
        return ExitCode::FAILURE;
    };
    let mut reply = String::new();
    if s.write_all(b"GET / HTTP/1.0\r\n\r\n").is_err() || s.read_to_string(&mut reply).is_err() {
        return ExitCode::FAILURE;
    }
    if reply.starts_with("HTTP/1.1 200") { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
