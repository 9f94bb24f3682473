//! Which requests the endpoint answers at all. While it runs with a key ring it is a decryption
//! oracle, so it must not answer web pages the user happens to visit:
//!
//! - `Host` must name the loopback address or `localhost` with the endpoint's port: a
//!   DNS-rebinding page reaches 127.0.0.1 under its own host name and is refused.
//! - A browser's `Origin` must be the endpoint's own, the WeChat DevTools'
//!   (`https://servicewechat.com`), or one the user allowed (`--allow-origin`); a page elsewhere is
//!   refused even for "simple" requests that need no preflight (a `text/plain` POST).
//! - Without an `Origin`, `Sec-Fetch-Site: cross-site` (a `<script>` or `<img>` GET from another
//!   site) is refused unless the `Referer` is the DevTools' own pages.
//! - No wildcard CORS header: an allowed origin is echoed, with `Vary: Origin`.
//!
//! Requests from curl, scripts and backends send no `Origin` and no `Sec-Fetch-Site`, and pass.

/// The origin of the WeChat DevTools' simulator pages.
pub const DEVTOOLS_ORIGIN: &str = "https://servicewechat.com";

/// The policy of one running endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guard {
    port: u16,
    /// Origins the user allowed, normalised (lower case, no trailing `/`).
    allowed: Vec<String>,
}

/// What to do with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Answer it; `cors` is the origin to echo in `Access-Control-Allow-Origin`.
    Allow { cors: Option<String> },
    /// Refuse it with 403 and this `request.*` code (and catalogue message key).
    Refuse {
        code: &'static str,
        message_key: &'static str,
    },
}

fn normalise(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

impl Guard {
    /// The policy for an endpoint on 127.0.0.1:`port` that also allows `allow_origins`.
    pub fn new(port: u16, allow_origins: &[String]) -> Guard {
        Guard {
            port,
            allowed: allow_origins.iter().map(|o| normalise(o)).collect(),
        }
    }

    /// Whether `host` (a `Host` header) names this endpoint: a loopback name, with this port or
    /// none (hand-written requests often leave it out; a rebinding page cannot change the name).
    fn own_host(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let (name, port_ok) = match host.rsplit_once(':') {
            Some((n, p)) if !host.ends_with(']') => (n.to_string(), p.parse() == Ok(self.port)),
            _ => (host.clone(), true),
        };
        port_ok && matches!(name.as_str(), "127.0.0.1" | "localhost" | "[::1]")
    }

    /// Whether a browser origin may read the answers.
    fn origin_allowed(&self, origin: &str) -> bool {
        let o = normalise(origin);
        let own = ["127.0.0.1", "localhost", "[::1]"]
            .iter()
            .any(|h| o == format!("http://{h}:{}", self.port));
        own || o == DEVTOOLS_ORIGIN || self.allowed.contains(&o)
    }

    /// Decides on a request from its `Host`, `Origin`, `Sec-Fetch-Site` and `Referer` headers.
    pub fn check(
        &self,
        host: Option<&str>,
        origin: Option<&str>,
        fetch_site: Option<&str>,
        referer: Option<&str>,
    ) -> Verdict {
        if host.is_some_and(|h| !self.own_host(h)) {
            return Verdict::Refuse {
                code: "request.bad_host",
                message_key: "serve.error.bad_host",
            };
        }
        match origin {
            Some(o) if self.origin_allowed(o) => Verdict::Allow {
                cors: Some(o.trim().to_string()),
            },
            Some(_) => Verdict::Refuse {
                code: "request.cross_origin",
                message_key: "serve.error.cross_origin",
            },
            None => {
                let devtools = referer
                    .is_some_and(|r| normalise(r).starts_with(&format!("{DEVTOOLS_ORIGIN}/")));
                if fetch_site.is_some_and(|s| s.trim().eq_ignore_ascii_case("cross-site"))
                    && !devtools
                {
                    Verdict::Refuse {
                        code: "request.cross_origin",
                        message_key: "serve.error.cross_origin",
                    }
                } else {
                    Verdict::Allow { cors: None }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PORT: u16 = 8787;

    fn refused(v: &Verdict) -> Option<&'static str> {
        match v {
            Verdict::Refuse { code, .. } => Some(code),
            Verdict::Allow { .. } => None,
        }
    }

    #[test]
    fn scripts_and_the_endpoints_own_pages_pass() {
        let g = Guard::new(PORT, &[]);
        // curl, a backend, a test script.
        assert_eq!(
            g.check(Some("127.0.0.1:8787"), None, None, None),
            Verdict::Allow { cors: None }
        );
        assert_eq!(
            g.check(None, None, None, None),
            Verdict::Allow { cors: None }
        );
        assert_eq!(
            g.check(Some("127.0.0.1"), None, None, None),
            Verdict::Allow { cors: None }
        );
        assert_eq!(
            g.check(Some("[::1]"), None, None, None),
            Verdict::Allow { cors: None }
        );
        assert_eq!(
            g.check(
                Some("LOCALHOST:8787"),
                Some("http://localhost:8787"),
                None,
                None
            ),
            Verdict::Allow {
                cors: Some("http://localhost:8787".into())
            }
        );
    }

    #[test]
    fn the_devtools_pass() {
        let g = Guard::new(PORT, &[]);
        let referer = Some("https://servicewechat.com/wx0123456789abcdef/devtools/page-frame.html");
        assert_eq!(
            g.check(Some("127.0.0.1:8787"), None, Some("cross-site"), referer),
            Verdict::Allow { cors: None }
        );
        assert_eq!(
            g.check(
                Some("127.0.0.1:8787"),
                Some(DEVTOOLS_ORIGIN),
                Some("cross-site"),
                referer
            ),
            Verdict::Allow {
                cors: Some(DEVTOOLS_ORIGIN.into())
            }
        );
    }

    #[test]
    fn other_sites_and_rebound_hosts_are_refused() {
        let g = Guard::new(PORT, &[]);
        // DNS rebinding: the page's own name resolves to 127.0.0.1.
        assert_eq!(
            refused(&g.check(
                Some("evil.example:8787"),
                Some("http://evil.example:8787"),
                None,
                None
            )),
            Some("request.bad_host")
        );
        assert_eq!(
            refused(&g.check(Some("127.0.0.1:9999"), None, None, None)),
            Some("request.bad_host")
        );
        // A page elsewhere posting text/plain (no preflight), or loading a script.
        assert_eq!(
            refused(&g.check(
                Some("127.0.0.1:8787"),
                Some("https://evil.example"),
                None,
                None
            )),
            Some("request.cross_origin")
        );
        assert_eq!(
            refused(&g.check(Some("127.0.0.1:8787"), Some("null"), None, None)),
            Some("request.cross_origin")
        );
        assert_eq!(
            refused(&g.check(
                Some("127.0.0.1:8787"),
                None,
                Some("cross-site"),
                Some("https://evil.example/")
            )),
            Some("request.cross_origin")
        );
        // A look-alike of the DevTools' origin.
        assert_eq!(
            refused(&g.check(
                Some("127.0.0.1:8787"),
                Some("https://servicewechat.com.evil.example"),
                None,
                None
            )),
            Some("request.cross_origin")
        );
    }

    #[test]
    fn origins_the_user_allowed_pass() {
        let g = Guard::new(PORT, &["https://qa.example.com/".to_string()]);
        assert_eq!(
            g.check(
                Some("127.0.0.1:8787"),
                Some("https://QA.example.com"),
                None,
                None
            ),
            Verdict::Allow {
                cors: Some("https://QA.example.com".into())
            }
        );
    }
}
