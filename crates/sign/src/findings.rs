//! Why a signature or a document is not valid, in Chinese and English.

use serde::{Deserialize, Serialize};

/// A reason for a verdict, with a stable code and the text in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// A stable machine-readable code, e.g. `digest-mismatch`.
    pub code: String,
    /// The reason in English.
    pub en: String,
    /// The reason in Chinese.
    pub zh: String,
}

/// The outcome of a verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every signature is intact, and nothing but signatures, their fields and DSS data was added
    /// after each.
    Valid,
    /// Valid, but a party the document reserves a signature for has not signed yet. zicha-sign
    /// never gives it: a caller that knows the document's parties and requires all of them
    /// (`zicha verify --require-all-parties`) raises a valid verdict to it.
    Incomplete,
    /// The signatures are intact, but a signer's certificate is not on the trust list the
    /// verifier was given: who signed is not established (only with a non-empty trust list).
    Unregistered,
    /// The signatures are intact but the document was changed after signing (or has unsigned
    /// bytes appended).
    Modified,
    /// A signature is broken, forged, or cannot be checked.
    Invalid,
}

impl Verdict {
    /// The verdict in English, as the CLI prints it.
    pub fn en(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Incomplete => "incomplete",
            Verdict::Unregistered => "unregistered",
            Verdict::Modified => "modified after signing",
            Verdict::Invalid => "invalid",
        }
    }

    /// The verdict in Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            Verdict::Valid => "有效",
            Verdict::Incomplete => "有效但签署不全",
            Verdict::Unregistered => "签名人证书未登记",
            Verdict::Modified => "签名后被修改",
            Verdict::Invalid => "无效",
        }
    }
}

/// Everything we can find wrong; turned into a [`Finding`] for the report.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Problem {
    Unreadable(String),
    NoSignatures,
    TrailingBytes(usize),
    ByteRangeMissing,
    ByteRangeMalformed(&'static str),
    ByteRangeNotAtContents,
    ByteRangeNotAtRevisionEnd,
    SignatureNotInField,
    SignatureInObjectStream,
    ContentsMissing,
    ContentsNotHex,
    UnsupportedSubFilter(String),
    CmsMalformed(String),
    CmsTrailingData,
    DigestMismatch,
    SignatureDoesNotVerify,
    AttributeMissing(&'static str),
    SigningCertificateMismatch,
    SignerCertificateMissing,
    UnsupportedAlgorithm(String),
    SigningTimeMissing,
    CertificateNotValidAt {
        time: String,
        not_before: String,
        not_after: String,
    },
    KeyUsage,
    CertificateIsCa,
    // Who signed.
    Unregistered {
        fingerprint: String,
    },
    PartyMismatch {
        role: String,
        certificate: String,
        party: String,
    },
    PartyMissing {
        role: String,
        certificate: String,
    },
    // Changes after signing.
    CatalogChanged(String),
    OptionalContentChanged,
    AttachmentsChanged,
    PageTreeChanged,
    PageChanged {
        page: usize,
        key: String,
    },
    PageContentChanged {
        page: usize,
    },
    AnnotationAdded {
        page: usize,
        subtype: String,
    },
    AnnotationsRemoved {
        page: usize,
    },
    FormChanged(String),
    FormFieldRemoved,
    FormFieldAdded(String),
    ObjectRedefined {
        number: u32,
        kind: String,
    },
    ObjectDeleted {
        number: u32,
        kind: String,
    },
    ReferenceFilledLater {
        number: u32,
    },
    RootReplaced,
    UnreadableRevision(String),
}

impl Problem {
    /// Whether this problem breaks the signature itself (invalid) rather than showing a change
    /// after signing (modified).
    pub(crate) fn verdict(&self) -> Verdict {
        use Problem::*;
        match self {
            TrailingBytes(_)
            | CatalogChanged(_)
            | OptionalContentChanged
            | AttachmentsChanged
            | PageTreeChanged
            | PageChanged { .. }
            | PageContentChanged { .. }
            | AnnotationAdded { .. }
            | AnnotationsRemoved { .. }
            | FormChanged(_)
            | FormFieldRemoved
            | FormFieldAdded(_)
            | ObjectRedefined { .. }
            | ObjectDeleted { .. }
            | ReferenceFilledLater { .. }
            | RootReplaced
            | UnreadableRevision(_) => Verdict::Modified,
            Unregistered { .. } => Verdict::Unregistered,
            _ => Verdict::Invalid,
        }
    }

    pub(crate) fn finding(&self) -> Finding {
        use Problem::*;
        let (code, en, zh): (&str, String, String) = match self {
            Unreadable(detail) => ("unreadable", format!("the pdf cannot be read: {detail}"), format!("无法读取该 PDF：{detail}")),
            NoSignatures => ("no-signatures", "the document has no signature".into(), "文档中没有签名".into()),
            TrailingBytes(count) => (
                "trailing-bytes",
                format!("{count} bytes after the last %%EOF are not a revision and are not signed"),
                format!("最后一个 %%EOF 之后有 {count} 个字节不属于任何修订版本，未被签名覆盖"),
            ),
            ByteRangeMissing => ("byte-range-missing", "the signature has no /ByteRange".into(), "签名缺少 /ByteRange".into()),
            ByteRangeMalformed(detail) => (
                "byte-range-malformed",
                format!("the /ByteRange is malformed: {detail}"),
                format!("/ByteRange 格式错误：{}", byte_range_zh(detail)),
            ),
            ByteRangeNotAtContents => (
                "byte-range-gap",
                "the /ByteRange does not exclude exactly the signature's /Contents".into(),
                "/ByteRange 排除的部分不恰好是该签名的 /Contents".into(),
            ),
            ByteRangeNotAtRevisionEnd => (
                "byte-range-end",
                "the /ByteRange does not end at the end of a revision".into(),
                "/ByteRange 没有在某个修订版本的末尾结束".into(),
            ),
            SignatureNotInField => (
                "signature-not-in-field",
                "the signature is not the value of a signature field in the revision it signs".into(),
                "该签名不是其所签修订版本中某个签名域的值".into(),
            ),
            SignatureInObjectStream => (
                "signature-in-object-stream",
                "the signature dictionary is inside an object stream".into(),
                "签名字典位于对象流中".into(),
            ),
            ContentsMissing => ("contents-missing", "the signature has no /Contents".into(), "签名缺少 /Contents".into()),
            ContentsNotHex => (
                "contents-not-hex",
                "the /Contents string holds bytes other than an even number of hex digits".into(),
                "/Contents 字符串中含有十六进制数字以外的字节（或位数为奇数）".into(),
            ),
            UnsupportedSubFilter(name) => (
                "unsupported-subfilter",
                format!("unsupported /SubFilter /{name}"),
                format!("不支持的 /SubFilter /{name}"),
            ),
            CmsMalformed(detail) => (
                "cms-malformed",
                format!("the cms signature cannot be read: {detail}"),
                format!("无法解析 CMS 签名数据：{detail}"),
            ),
            CmsTrailingData => (
                "cms-trailing-data",
                "/Contents holds data after the cms signature".into(),
                "/Contents 中 CMS 签名之后还有其他数据".into(),
            ),
            DigestMismatch => (
                "digest-mismatch",
                "the signed bytes do not match the digest in the signature: the document was altered".into(),
                "签名范围内的字节与签名中的摘要不一致：文档已被篡改".into(),
            ),
            SignatureDoesNotVerify => (
                "signature-does-not-verify",
                "the cryptographic signature does not verify with the signer's certificate".into(),
                "用签名者证书无法验证该密码学签名".into(),
            ),
            AttributeMissing(name) => (
                "attribute-missing",
                format!("the signed attribute {name} is missing or malformed"),
                format!("缺少签名属性 {name} 或其格式错误"),
            ),
            SigningCertificateMismatch => (
                "signing-certificate-mismatch",
                "the signing-certificate-v2 attribute does not match the signer's certificate".into(),
                "signing-certificate-v2 属性与签名者证书不一致".into(),
            ),
            SignerCertificateMissing => (
                "signer-certificate-missing",
                "the signer's certificate is not in the signature".into(),
                "签名中没有签名者证书".into(),
            ),
            UnsupportedAlgorithm(detail) => (
                "unsupported-algorithm",
                format!("unsupported algorithm: {detail}"),
                format!("不支持的算法：{detail}"),
            ),
            SigningTimeMissing => (
                "signing-time-missing",
                "the signature has no readable signing time /M".into(),
                "签名缺少可读的签名时间 /M".into(),
            ),
            CertificateNotValidAt { time, not_before, not_after } => (
                "certificate-not-valid",
                format!("the certificate is not valid at the signing time {time} (valid {not_before} to {not_after})"),
                format!("签名时间 {time} 不在证书有效期内（{not_before} 至 {not_after}）"),
            ),
            KeyUsage => (
                "key-usage",
                "the certificate's key usage allows neither digital signature nor non-repudiation".into(),
                "证书的密钥用途既不允许数字签名也不允许不可否认".into(),
            ),
            CertificateIsCa => (
                "certificate-is-ca",
                "the signer's certificate is a ca certificate".into(),
                "签名者证书是 CA 证书".into(),
            ),
            Unregistered { fingerprint } => (
                "unregistered",
                format!("the signer's certificate (sha-256 {fingerprint}) is not on the trust list: who signed is not established"),
                format!("签名人证书（SHA-256 {fingerprint}）不在信任列表中：无法确认签名人身份"),
            ),
            PartyMismatch { role, certificate, party } => (
                "signer-party-mismatch",
                format!("the certificate is issued to {certificate}, but the {role} signs for {party}"),
                format!("证书持有单位为 {certificate}，而{role}应代表 {party} 签名"),
            ),
            PartyMissing { role, certificate } => (
                "signer-party-mismatch",
                format!("the certificate is issued to {certificate}, but the document records no party for the {role}"),
                format!("证书持有单位为 {certificate}，而文档中没有记录{role}所代表的单位"),
            ),
            CatalogChanged(key) => (
                "catalog-changed",
                format!("the document catalog entry /{key} was changed after signing"),
                format!("签名后文档目录项 /{key} 被修改"),
            ),
            OptionalContentChanged => (
                "optional-content-changed",
                "optional content (layers) was changed after signing: hidden content may now show".into(),
                "签名后可选内容（图层）被修改：原先隐藏的内容可能被显示".into(),
            ),
            AttachmentsChanged => (
                "attachments-changed",
                "embedded files or the name tree were changed after signing".into(),
                "签名后嵌入文件或名称树被修改".into(),
            ),
            PageTreeChanged => (
                "page-tree-changed",
                "pages were added, removed or reordered after signing".into(),
                "签名后页面被增加、删除或重新排序".into(),
            ),
            PageChanged { page, key } => (
                "page-changed",
                format!("page {page}: /{key} was changed after signing"),
                format!("第 {page} 页：签名后 /{key} 被修改"),
            ),
            PageContentChanged { page } => (
                "page-content-changed",
                format!("page {page}: the page content was changed after signing"),
                format!("第 {page} 页：签名后页面内容被修改"),
            ),
            AnnotationAdded { page, subtype } => (
                "annotation-added",
                format!("page {page}: an annotation (/{subtype}) that changes what is seen was added after signing"),
                format!("第 {page} 页：签名后添加了会改变显示内容的注释（/{subtype}）"),
            ),
            AnnotationsRemoved { page } => (
                "annotations-removed",
                format!("page {page}: annotations were removed after signing"),
                format!("第 {page} 页：签名后注释被删除"),
            ),
            FormChanged(key) => (
                "form-changed",
                format!("the form entry /{key} was changed after signing"),
                format!("签名后表单项 /{key} 被修改"),
            ),
            FormFieldRemoved => (
                "form-field-removed",
                "form fields (such as a signature field) were removed after signing".into(),
                "签名后表单域（例如签名域）被删除".into(),
            ),
            FormFieldAdded(kind) => (
                "form-field-added",
                format!("a form field that is not a signature field (/{kind}) was added after signing"),
                format!("签名后添加了非签名表单域（/{kind}）"),
            ),
            ObjectRedefined { number, kind } => (
                "object-redefined",
                format!("object {number} ({kind}) signed earlier was redefined by a later revision"),
                format!("已签名的对象 {number}（{}）被后续修订版本重新定义", kind_zh(kind)),
            ),
            ObjectDeleted { number, kind } => (
                "object-deleted",
                format!("object {number} ({kind}) signed earlier was deleted by a later revision"),
                format!("已签名的对象 {number}（{}）被后续修订版本删除", kind_zh(kind)),
            ),
            ReferenceFilledLater { number } => (
                "reference-filled-later",
                format!("object {number} was referenced but absent when signed, and was defined later (shadow content)"),
                format!("对象 {number} 在签名时被引用但不存在，之后才被定义（影子内容）"),
            ),
            RootReplaced => (
                "root-replaced",
                "the document catalog was replaced after signing".into(),
                "签名后文档目录被替换".into(),
            ),
            UnreadableRevision(detail) => (
                "unreadable-revision",
                format!("a later revision cannot be read: {detail}"),
                format!("无法读取后续修订版本：{detail}"),
            ),
        };
        Finding {
            code: code.to_string(),
            en,
            zh,
        }
    }
}

fn byte_range_zh(detail: &str) -> &'static str {
    match detail {
        "not four non-negative integers" => "不是四个非负整数",
        "does not start at 0" => "不是从 0 开始",
        "ranges overlap or are empty" => "范围重叠或为空",
        "beyond the end of the file" => "超出文件末尾",
        _ => "格式错误",
    }
}

fn kind_zh(kind: &str) -> String {
    kind.replace("content stream of page", "页面内容流，第")
        .replace("page", "页面")
        .replace("annotation", "注释")
        .replace("signature dictionary", "签名字典")
        .replace("object", "对象")
}
