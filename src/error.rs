//! The one error type every failure of a chat request becomes, so the page sees a single
//! `ChatError` with a `kind` it can branch on whatever layer (config, HTTP, stream) failed.

use crate::prelude::*;

use core::fmt;

/// What went wrong, in the terms a page can act on (retry, fix config, show "stopped", …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The server answered with an HTTP error status.
    Http,
    /// The request never got an answer (DNS, refused, CORS, offline).
    Network,
    /// No answer or no bytes within the configured time.
    Timeout,
    /// The page aborted the request.
    Aborted,
    /// The provider reported an error inside the stream, or the stream broke a bound.
    Stream,
    /// The body ended before the provider said the reply was complete.
    Incomplete,
    /// The provider sent something that is not valid for its format.
    Parse,
    /// The options or messages given by the page are unusable.
    Config,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Http => "http",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Aborted => "aborted",
            ErrorKind::Stream => "stream",
            ErrorKind::Incomplete => "incomplete",
            ErrorKind::Parse => "parse",
            ErrorKind::Config => "config",
        }
    }
}

/// A failed chat request. Boxed, so every `Result<_, ChatError>` stays a pointer wide: the
/// error path is rare and the happy path then moves no 60-byte payloads around (measured in
/// BENCHMARKS.md, "Before and after").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatError(Box<Failure>);

/// What a `ChatError` says; reached through `Deref` (`err.kind`, `err.message`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub kind: ErrorKind,
    pub message: String,
    pub status: Option<u16>,
    /// The provider's error code or type (`rate_limit_error`, `429`, …).
    pub code: Option<String>,
    pub retry_after_ms: Option<u64>,
    pub request_id: Option<String>,
}

impl ChatError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self::from(Failure {
            kind,
            message: message.into(),
            status: None,
            code: None,
            retry_after_ms: None,
            request_id: None,
        })
    }

    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, message)
    }

    pub fn with_code(mut self, code: Option<String>) -> Self {
        self.code = code;
        self
    }
}

impl From<Failure> for ChatError {
    fn from(f: Failure) -> Self {
        ChatError(Box::new(f))
    }
}

impl core::ops::Deref for ChatError {
    type Target = Failure;
    fn deref(&self) -> &Failure {
        &self.0
    }
}

impl core::ops::DerefMut for ChatError {
    fn deref_mut(&mut self) -> &mut Failure {
        &mut self.0
    }
}

impl fmt::Display for ChatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl core::error::Error for ChatError {}
