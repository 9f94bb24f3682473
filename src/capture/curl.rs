//! curl command lines ("Copy as cURL" from devtools, pasted logs): one or more commands, each
//! turned into a request record (URL, method, headers, cookies, referer, data).

use crate::pair::Source;

use super::MalformedReason;
use super::record::{Collector, Record};
use super::shell::{Tok, shell_words};

/// curl options that take a value (the ones that matter, and the common others to skip).
fn curl_takes_value(opt: &str) -> bool {
    matches!(
        opt,
        "-H" | "--header"
            | "-d"
            | "--data"
            | "--data-raw"
            | "--data-binary"
            | "--data-ascii"
            | "--data-urlencode"
            | "-X"
            | "--request"
            | "-b"
            | "--cookie"
            | "-e"
            | "--referer"
            | "-A"
            | "--user-agent"
            | "-u"
            | "--user"
            | "-o"
            | "--output"
            | "-x"
            | "--proxy"
            | "-m"
            | "--max-time"
            | "--connect-timeout"
            | "-w"
            | "--write-out"
            | "--url"
            | "-F"
            | "--form"
            | "--cacert"
            | "--cert"
            | "--key"
            | "-T"
            | "--upload-file"
            | "--resolve"
            | "--retry"
    )
}

/// Groups words into commands. A newline inside a curl command is only a separator if the next
/// word starts a new command (an option means the command goes on).
fn commands(toks: Vec<Tok>) -> Vec<Vec<String>> {
    let mut commands: Vec<Vec<String>> = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    for t in toks {
        match t {
            Tok::Sep => {
                if !cur.is_empty() {
                    commands.push(std::mem::take(&mut cur));
                }
            }
            Tok::Word(w) => {
                if cur.is_empty()
                    && w.starts_with('-')
                    && let Some(last) = commands.pop()
                {
                    cur = last;
                }
                cur.push(w);
            }
        }
    }
    if !cur.is_empty() {
        commands.push(cur);
    }
    commands
}

/// The request one curl command sends (`args` are the words after `curl`).
fn curl_record(args: &[String], source: Source) -> Record {
    let mut url = None;
    let mut method = None;
    let mut headers = Vec::new();
    let mut data: Vec<String> = Vec::new();
    let mut get = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        let (opt, inline) = match a.split_once('=') {
            Some((o, v)) if o.starts_with("--") => (o, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        if opt.starts_with('-') && opt.len() > 1 && curl_takes_value(opt) {
            let val = match inline {
                Some(v) => v,
                None => {
                    i += 1;
                    args.get(i).cloned().unwrap_or_default()
                }
            };
            match opt {
                "-H" | "--header" => {
                    if let Some((k, v)) = val.split_once(':') {
                        headers.push((k.trim().to_string(), v.trim().to_string()));
                    }
                }
                "-d" | "--data" | "--data-raw" | "--data-binary" | "--data-ascii"
                | "--data-urlencode" | "-F" | "--form" => data.push(val),
                "-X" | "--request" => method = Some(val),
                "-b" | "--cookie" => headers.push(("Cookie".into(), val)),
                "-e" | "--referer" => headers.push(("Referer".into(), val)),
                "--url" => url = Some(val),
                _ => {}
            }
        } else if opt == "-G" || opt == "--get" {
            get = true;
        } else if !a.starts_with('-') && url.is_none() {
            url = Some(a.clone());
        }
        i += 1;
    }
    let mut body = (!data.is_empty()).then(|| data.join("&"));
    if get && let (Some(u), Some(b)) = (&mut url, body.take()) {
        u.push(if u.contains('?') { '&' } else { '?' });
        u.push_str(&b);
    }
    let method = method.or_else(|| Some(if body.is_some() { "POST" } else { "GET" }.into()));
    let mime = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.clone());
    Record {
        source: Some(source),
        url,
        method,
        time: None,
        headers,
        body,
        body_mime: mime,
        params: Vec::new(),
        response: None,
        text: None,
    }
}

/// Reads every curl command of the text; other commands are skipped.
pub(super) fn read_curl(text: &str, c: &mut Collector) {
    let mut index = 0;
    for words in commands(shell_words(text)) {
        let Some(pos) = words
            .iter()
            .position(|w| w == "curl" || w.ends_with("/curl") || w == "curl.exe")
        else {
            continue;
        };
        let source = c.entry(index);
        index += 1;
        let args = words.get(pos + 1..).unwrap_or(&[]);
        c.add(curl_record(args, source));
    }
    if index == 0 {
        c.malformed(c.entry(0), MalformedReason::NoCurlCommand);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> Source {
        Source {
            file: "t".into(),
            entry: Some(0),
            line: None,
        }
    }

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn options_become_a_request() {
        let r = curl_record(
            &args(&[
                "https://a.example/x",
                "-H",
                "Content-Type: application/json",
                "--data-raw={\"iv\":1}",
                "-b",
                "sid=1",
                "--compressed",
            ]),
            source(),
        );
        assert_eq!(r.url.as_deref(), Some("https://a.example/x"));
        assert_eq!(r.method.as_deref(), Some("POST"));
        assert_eq!(r.body.as_deref(), Some("{\"iv\":1}"));
        assert_eq!(r.body_mime.as_deref(), Some("application/json"));
        assert!(r.headers.contains(&("Cookie".into(), "sid=1".into())));
    }

    #[test]
    fn get_moves_the_data_into_the_query() {
        let r = curl_record(
            &args(&["-G", "--url", "https://a/x?a=1", "-d", "iv=2"]),
            source(),
        );
        assert_eq!(r.url.as_deref(), Some("https://a/x?a=1&iv=2"));
        assert_eq!(r.method.as_deref(), Some("GET"));
        assert_eq!(r.body, None);
    }

    #[test]
    fn commands_go_on_across_newlines_before_an_option() {
        let cmds = commands(shell_words(
            "curl https://a\n  -d x=1\necho hi; curl https://b",
        ));
        assert_eq!(
            cmds,
            [
                args(&["curl", "https://a", "-d", "x=1"]),
                args(&["echo", "hi"]),
                args(&["curl", "https://b"]),
            ]
        );
        let mut c = Collector::new("t", 0);
        read_curl("echo nothing here", &mut c);
        assert_eq!(c.found.malformed.len(), 1);
    }
}
