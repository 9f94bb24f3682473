//! Records, what every format is turned into (one HTTP exchange or log record, normalised), and
//! the collector that numbers them and gathers what they hold.

use crate::pair::Source;

use super::{Found, Malformed, MalformedReason, analyze::analyze};

/// One HTTP exchange or log record, normalised.
#[derive(Debug, Default)]
pub(super) struct Record {
    pub source: Option<Source>,
    pub url: Option<String>,
    pub method: Option<String>,
    pub time: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub body_mime: Option<String>,
    /// Form parameters as exported (HAR postData.params), used when there is no body text.
    pub params: Vec<(String, String)>,
    pub response: Option<String>,
    /// A log line or JSON record (no HTTP structure).
    pub text: Option<String>,
}

/// The value of header `name` (case-insensitive), first occurrence.
pub(super) fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

impl Record {
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// Numbers the records of one file and gathers what they hold into a [`Found`].
pub(super) struct Collector<'h> {
    name: String,
    seq: usize,
    pub found: Found,
    /// Called after each record with what has been gathered (a streamed scan takes the payloads
    /// and keys out as they come).
    hook: Option<&'h mut dyn FnMut(&mut Found)>,
}

impl<'h> Collector<'h> {
    pub fn new(name: &str, seq: usize) -> Collector<'h> {
        Collector {
            name: name.to_string(),
            seq,
            found: Found::default(),
            hook: None,
        }
    }

    /// A collector that hands what it gathers to `hook` after each record.
    pub fn with_hook(name: &str, seq: usize, hook: &'h mut dyn FnMut(&mut Found)) -> Collector<'h> {
        Collector {
            hook: Some(hook),
            ..Collector::new(name, seq)
        }
    }

    /// The source of entry `i` (HAR entry, Burp item, request, curl command, array element).
    pub fn entry(&self, i: usize) -> Source {
        Source {
            file: self.name.clone(),
            entry: Some(i),
            line: None,
        }
    }

    /// The source of line `n` (1-based) of a log.
    pub fn line(&self, n: usize) -> Source {
        Source {
            file: self.name.clone(),
            entry: None,
            line: Some(n),
        }
    }

    /// Counts a record that could not be read.
    pub fn malformed(&mut self, source: Source, reason: MalformedReason) {
        self.found.records += 1;
        self.seq += 1;
        self.found.malformed.push(Malformed { source, reason });
    }

    /// Counts a record and takes in what it holds.
    pub fn add(&mut self, rec: Record) {
        self.found.records += 1;
        self.seq += 1;
        analyze(rec, self.seq, &mut self.found);
        if let Some(hook) = self.hook.as_mut() {
            hook(&mut self.found);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_found_case_insensitively() {
        let rec = Record {
            headers: vec![
                ("Content-Type".into(), "a".into()),
                ("content-type".into(), "b".into()),
            ],
            ..Record::default()
        };
        assert_eq!(rec.header("CONTENT-TYPE"), Some("a"));
        assert_eq!(rec.header("referer"), None);
    }
}
