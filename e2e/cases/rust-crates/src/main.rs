//! crates-demo: a wharf e2e case built with two crates from Debian's Cargo
//! registry (base64 and itoa).
use base64::Engine;

fn main() {
    let input = "wharf ".repeat(8);
    let encoded = base64::engine::general_purpose::STANDARD.encode(&input);
    let decoded = base64::engine::general_purpose::STANDARD.decode(&encoded).expect("decode");
    println!("base64: {}", &encoded[..16]);
    println!("roundtrip: {}", decoded == input.as_bytes());
    println!("itoa: {}", itoa::Buffer::new().format(u64::MAX - 1));
    // std has no getuid; the kernel says it.
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    let uid = status.lines().find_map(|l| l.strip_prefix("Uid:")).and_then(|v| v.split_whitespace().next()).unwrap_or("?");
    println!("uid: {uid}");
}
