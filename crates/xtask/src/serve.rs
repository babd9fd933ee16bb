//! `cargo xtask serve`: a release build through wasm-opt, served from `dist/` by a
//! small static file server (also used by the end-to-end tests).

use crate::util::{cmd, root, run, step};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};

/// Builds the app into `dist/` with trunk (release: wasm-opt -Oz), then adds the npm
/// package (`dist/npm/`), the plain-HTML embedding demo (`dist/demo.html`) and the
/// import page (`dist/import.html`).
pub fn build_app() -> Result<(), String> {
    step("trunk build --release", || {
        run(
            cmd("trunk")
                .args(["build", "--release"])
                .env("RUSTFLAGS", ""),
            "trunk build",
        )
    })?;
    let pkg = crate::package::build_package()?;
    let dist = root().join("dist");
    crate::package::copy_files(&pkg, &dist.join("npm"))?;
    // Pages of their own beside the app: the embedding demo, and the import page
    // (which loads the npm package's importers).
    for page in PAGES {
        std::fs::copy(root().join("web").join(page), dist.join(page))
            .map_err(|e| format!("copy web/{page}: {e}"))?;
    }
    Ok(())
}

/// The pages beside the app, copied from `web/` into `dist/`; not part of the app's
/// budget (a browser loads them only when they are visited).
pub const PAGES: [&str; 2] = ["demo.html", "import.html"];

/// `serve [--port N]`.
pub fn serve_cmd(args: &[String]) -> Result<(), String> {
    let mut port = 8080u16;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--port" | "-p" => {
                port = it
                    .next()
                    .and_then(|p| p.parse().ok())
                    .ok_or("--port takes a number, e.g. --port 8081")?;
            }
            _ => return Err(format!("serve: unknown option '{a}' (use --port N)")),
        }
    }
    crate::setup::setup()?;
    build_app()?;
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        format!(
            "cannot listen on 127.0.0.1:{port}: {e} (try --port {})",
            port + 1
        )
    })?;
    println!("\n  mm-sandbox is running at http://127.0.0.1:{port}/  (Ctrl-C stops it)\n");
    serve_forever(listener, root().join("dist"));
    Ok(())
}

/// Serves files from `dir` on `listener`, one thread per connection.
pub fn serve_forever(listener: TcpListener, dir: PathBuf) {
    for stream in listener.incoming().flatten() {
        let dir = dir.clone();
        std::thread::spawn(move || {
            let _ = handle(stream, &dir);
        });
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "txt" | "mm" => "text/plain; charset=utf-8",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

fn handle(mut stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    // Drain the headers.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut parts = request.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let rel = path.trim_start_matches('/');
    let rel = if rel.is_empty() { "index.html" } else { rel };
    let candidate = Path::new(rel);
    let safe = candidate
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    let file = dir.join(candidate);
    let (status, body, ctype) = if method != "GET" && method != "HEAD" {
        (
            "405 Method Not Allowed",
            b"method not allowed\n".to_vec(),
            "text/plain",
        )
    } else if safe && file.is_file() {
        match std::fs::read(&file) {
            Ok(b) => ("200 OK", b, content_type(&file)),
            Err(_) => (
                "500 Internal Server Error",
                b"read error\n".to_vec(),
                "text/plain",
            ),
        }
    } else {
        (
            "404 Not Found",
            format!("not found: {path}\n").into_bytes(),
            "text/plain",
        )
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}
