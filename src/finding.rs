//! Findings and repairs: the stable diagnostic contract (codes, severities, fields, spans).

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    /// Catalogue key of the severity's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Severity::Info => "severity.info",
            Severity::Warning => "severity.warning",
            Severity::Error => "severity.error",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Where a finding points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Appid,
    SessionKey,
    Iv,
    EncryptedData,
    Plaintext,
    Watermark,
    /// Message push: the 43-character EncodingAESKey.
    EncodingAesKey,
    /// Message push: the token configured beside the EncodingAESKey.
    Token,
    /// Message push: the appid / corpid / suite id the message must end with.
    ReceiveId,
    /// Message push: `msg_signature` of the URL.
    MsgSignature,
    /// Message push: `timestamp` of the URL.
    Timestamp,
    /// Message push and Pay: the nonce.
    Nonce,
    /// Message push: the `Encrypt` element or the `echostr` parameter.
    Encrypt,
    /// Message push and Pay: the request body as received.
    Body,
    /// Pay: the APIv3 key (32 characters).
    #[serde(rename = "apiv3_key")]
    ApiV3Key,
    /// Pay: `resource.ciphertext` (or `req_info` of an APIv2 refund).
    Ciphertext,
    /// Pay: `resource.associated_data`.
    AssociatedData,
    /// Pay: `resource.algorithm`.
    Algorithm,
    /// Pay APIv2: the API key the `req_info` key is made from.
    ApiKey,
    /// Signatures: the `rawData` of getUserInfo / getUserProfile.
    RawData,
    /// Signatures: the signature given (user-info `signature`, checkSession's `signature`).
    Signature,
    /// Open data: the platform the payload comes from (chosen or detected).
    Platform,
}

impl Field {
    /// The four input fields, in the order users paste them.
    pub const INPUTS: [Field; 4] = [
        Field::Appid,
        Field::SessionKey,
        Field::Iv,
        Field::EncryptedData,
    ];

    /// Every field: the open-data inputs first, then the message-push and Pay ones.
    pub const ALL: [Field; 22] = [
        Field::Appid,
        Field::SessionKey,
        Field::Iv,
        Field::EncryptedData,
        Field::Plaintext,
        Field::Watermark,
        Field::EncodingAesKey,
        Field::Token,
        Field::ReceiveId,
        Field::MsgSignature,
        Field::Timestamp,
        Field::Nonce,
        Field::Encrypt,
        Field::Body,
        Field::ApiV3Key,
        Field::Ciphertext,
        Field::AssociatedData,
        Field::Algorithm,
        Field::ApiKey,
        Field::RawData,
        Field::Signature,
        Field::Platform,
    ];

    /// The position of an input field in [`Field::INPUTS`] (None for plaintext and watermark):
    /// the one mapping from fields to per-input arrays.
    pub fn index(self) -> Option<usize> {
        match self {
            Field::Appid => Some(0),
            Field::SessionKey => Some(1),
            Field::Iv => Some(2),
            Field::EncryptedData => Some(3),
            _ => None,
        }
    }

    /// The field as users know it (`encryptedData`, `明文`), from the catalogue.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.tr(self.label_key())
    }

    /// Catalogue key of the field's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Field::Appid => "field.appid",
            Field::SessionKey => "field.session_key",
            Field::Iv => "field.iv",
            Field::EncryptedData => "field.encrypted_data",
            Field::Plaintext => "field.plaintext",
            Field::Watermark => "field.watermark",
            Field::EncodingAesKey => "field.encoding_aes_key",
            Field::Token => "field.token",
            Field::ReceiveId => "field.receive_id",
            Field::MsgSignature => "field.msg_signature",
            Field::Timestamp => "field.timestamp",
            Field::Nonce => "field.nonce",
            Field::Encrypt => "field.encrypt",
            Field::Body => "field.body",
            Field::ApiV3Key => "field.apiv3_key",
            Field::Ciphertext => "field.ciphertext",
            Field::AssociatedData => "field.associated_data",
            Field::Algorithm => "field.algorithm",
            Field::ApiKey => "field.api_key",
            Field::RawData => "field.raw_data",
            Field::Signature => "field.signature",
            Field::Platform => "field.platform",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Appid => "appid",
            Field::SessionKey => "session_key",
            Field::Iv => "iv",
            Field::EncryptedData => "encrypted_data",
            Field::Plaintext => "plaintext",
            Field::Watermark => "watermark",
            Field::EncodingAesKey => "encoding_aes_key",
            Field::Token => "token",
            Field::ReceiveId => "receive_id",
            Field::MsgSignature => "msg_signature",
            Field::Timestamp => "timestamp",
            Field::Nonce => "nonce",
            Field::Encrypt => "encrypt",
            Field::Body => "body",
            Field::ApiV3Key => "apiv3_key",
            Field::Ciphertext => "ciphertext",
            Field::AssociatedData => "associated_data",
            Field::Algorithm => "algorithm",
            Field::ApiKey => "api_key",
            Field::RawData => "raw_data",
            Field::Signature => "signature",
            Field::Platform => "platform",
        }
    }
}

macro_rules! codes {
    ($($variant:ident => $code:literal, $sev:ident;)*) => {
        /// A finding code. The strings are a public contract: never rename one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable code string, e.g. `key.mismatch`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The severity a finding of this code always has.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            pub fn parse(s: &str) -> Option<Code> {
                match s { $($code => Some(Code::$variant),)* _ => None }
            }

            /// Catalogue key of the short title (for help screens and tables).
            pub fn title_key(self) -> &'static str {
                match self { $(Code::$variant => concat!("code.", $code, ".title"),)* }
            }

            /// Catalogue key of the message (`{field}` and the code's own arguments).
            pub fn message_key(self) -> &'static str {
                match self { $(Code::$variant => concat!("code.", $code, ".message"),)* }
            }

            /// Catalogue key of the hint: what to do about it.
            pub fn hint_key(self) -> &'static str {
                match self { $(Code::$variant => concat!("code.", $code, ".hint"),)* }
            }

            /// Catalogue key of the typical cause (help screen, README table).
            pub fn cause_key(self) -> &'static str {
                match self { $(Code::$variant => concat!("code.", $code, ".cause"),)* }
            }
        }
    };
}

codes! {
    RepairWhitespace => "repair.whitespace", Info;
    RepairPlusAsSpace => "repair.plus_as_space", Warning;
    RepairPercentEncoding => "repair.percent_encoding", Warning;
    RepairJsonEscape => "repair.json_escape", Warning;
    RepairQuotes => "repair.quotes", Warning;
    RepairUrlSafe => "repair.url_safe", Warning;
    RepairPadding => "repair.padding", Warning;
    RepairHex => "repair.hex", Warning;
    InputMissing => "input.missing", Error;
    InputLooksLikeCode => "input.looks_like_code", Error;
    InputSwapped => "input.swapped", Error;
    Base64Invalid => "base64.invalid", Error;
    KeyLength => "key.length", Error;
    IvLength => "iv.length", Error;
    DataLength => "data.length", Error;
    PaddingInvalid => "padding.invalid", Error;
    KeyMismatch => "key.mismatch", Error;
    IvMismatch => "iv.mismatch", Error;
    DataTruncated => "data.truncated", Error;
    DataCorrupted => "data.corrupted", Error;
    PlaintextNotUtf8 => "plaintext.not_utf8", Error;
    PlaintextNotJson => "plaintext.not_json", Info;
    PlaintextInvalidJson => "plaintext.invalid_json", Error;
    WatermarkMissing => "watermark.missing", Warning;
    WatermarkAppidMismatch => "watermark.appid_mismatch", Error;
    WatermarkAppidUnchecked => "watermark.appid_unchecked", Info;
    WatermarkTimestampFuture => "watermark.timestamp_future", Warning;
    PhoneInconsistent => "phone.inconsistent", Warning;
    UserAnonymized => "user.anonymized", Info;
    MsgBodyInvalid => "msg.body_invalid", Error;
    MsgNotEncrypted => "msg.not_encrypted", Error;
    MsgKeyLength => "msg.key_length", Error;
    MsgDataLength => "msg.data_length", Error;
    MsgSignatureMismatch => "msg.signature_mismatch", Error;
    MsgSignatureIsPlain => "msg.signature_is_plain", Error;
    MsgSignatureUnchecked => "msg.signature_unchecked", Info;
    MsgKeyMismatch => "msg.key_mismatch", Error;
    MsgLengthInvalid => "msg.length_invalid", Error;
    MsgPaddingInvalid => "msg.padding_invalid", Error;
    MsgReceiveIdMismatch => "msg.receive_id_mismatch", Error;
    MsgReceiveIdUnchecked => "msg.receive_id_unchecked", Info;
    PayBodyInvalid => "pay.body_invalid", Error;
    PayAlgorithmUnsupported => "pay.algorithm_unsupported", Error;
    PayKeyLength => "pay.key_length", Error;
    PayNonceLength => "pay.nonce_length", Error;
    PayTagMissing => "pay.tag_missing", Error;
    PayKeyMismatch => "pay.key_mismatch", Error;
    PayAssociatedDataMismatch => "pay.associated_data_mismatch", Error;
    PayTagMismatch => "pay.tag_mismatch", Error;
    PayDataLength => "pay.data_length", Error;
    SignatureMismatch => "signature.mismatch", Error;
    SignatureVariant => "signature.variant", Error;
    SignatureKeyMismatch => "signature.key_mismatch", Error;
    SignatureMalformed => "signature.malformed", Error;
    InputPhoneCode => "input.phone_code", Error;
    ServerInvalidCode => "server.invalid_code", Error;
    ServerCodeUsed => "server.code_used", Error;
    ServerRateLimit => "server.rate_limit", Error;
    ServerHighRisk => "server.high_risk", Error;
    ServerInvalidAppid => "server.invalid_appid", Error;
    ServerInvalidCredential => "server.invalid_credential", Error;
    ServerBusy => "server.busy", Error;
    ServerInvalidSignature => "server.invalid_signature", Error;
    ServerError => "server.error", Error;
    PlatformDetected => "platform.detected", Info;
    PlatformMismatch => "platform.mismatch", Warning;
    AppKeyMismatch => "app_key.mismatch", Error;
    AppKeyUnchecked => "app_key.unchecked", Info;
    FrameLengthInvalid => "frame.length_invalid", Error;
    AlipayError => "alipay.error", Error;
}

impl Code {
    /// Whether this code is one of the `repair.*` codes.
    pub fn is_repair(self) -> bool {
        self.as_str().starts_with("repair.")
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Code::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown finding code {s:?}")))
    }
}

/// A half-open range `[start, end)`: char offsets in an input field as pasted, or byte offsets in
/// the plaintext for plaintext findings.
pub type Span = [usize; 2];

/// The hint of `code` about `field`: an empty message-push or Pay field, and one whose '+' became
/// spaces, have their own (the open-data ones speak of e.detail, code2Session and wx.request).
fn hint_key(code: Code, field: Field) -> &'static str {
    match code {
        Code::InputMissing if field.index().is_none() => "code.input.missing.hint_envelope",
        Code::RepairPlusAsSpace if field.index().is_none() => {
            "code.repair.plus_as_space.hint_envelope"
        }
        _ => code.hint_key(),
    }
}

/// One diagnosis: what is wrong (or notable), where, and what to do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub field: Field,
    pub span: Option<Span>,
    pub message: String,
    pub hint: String,
}

impl Finding {
    /// Builds a finding with its message and hint from the catalogue, filling `args`.
    pub fn new(
        lang: Lang,
        code: Code,
        field: Field,
        span: Option<Span>,
        args: &[(&str, &str)],
    ) -> Finding {
        let field_name = field.label(lang);
        let mut all: Vec<(&str, &str)> = Vec::with_capacity(args.len() + 1);
        all.push(("field", field_name));
        all.extend_from_slice(args);
        Finding {
            code,
            severity: code.severity(),
            field,
            span,
            message: lang.fmt(code.message_key(), &all),
            hint: lang.fmt(hint_key(code, field), &all),
        }
    }
}

/// The finding that explains a verdict: the first error, else the first warning.
pub fn primary(findings: &[Finding]) -> Option<&Finding> {
    findings
        .iter()
        .find(|f| f.severity == Severity::Error)
        .or_else(|| findings.iter().find(|f| f.severity == Severity::Warning))
}

/// One repair applied to an input field before decoding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Repair {
    pub field: Field,
    pub code: Code,
    /// The field's text before this repair step.
    pub before: String,
    /// The field's text after this repair step.
    pub after: String,
    /// Where the repaired characters stand in the field as pasted (char offsets).
    pub spans: Vec<Span>,
}
