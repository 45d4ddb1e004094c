//! Lists `content/help/<lang>/*.md` into an `include_str!` table (`$OUT_DIR/demo_articles.rs`),
//! so the demo articles are part of the binary.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir"))
        .join("../../content/help");
    println!("cargo::rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    for lang in ["en", "zh-CN"] {
        let dir = root.join(lang);
        println!("cargo::rerun-if-changed={}", dir.display());
        for entry in std::fs::read_dir(&dir).expect("content/help/<lang> exists") {
            let path = entry.expect("readable directory").path();
            if path.extension().is_some_and(|e| e == "md") {
                files.push((lang, path));
            }
        }
    }
    files.sort();
    let mut out = String::from(
        "/// (language folder, file text) of every demo article.\npub(crate) const DEMO_FILES: &[(&str, &str)] = &[\n",
    );
    for (lang, path) in files {
        let path = path.canonicalize().expect("canonical path");
        writeln!(
            out,
            "    ({lang:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("write to string");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("out dir")).join("demo_articles.rs");
    std::fs::write(dest, out).expect("write demo_articles.rs");
}
