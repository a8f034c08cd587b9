//! Where a party's digital signature goes: the box the report reserved for it on the signature
//! page, as recorded in the report's own `summary.json`. Used by `zicha sign` and the browser's
//! report worker alike.
//!
//! A signature goes only into the box of the party it is for: the box is chosen explicitly (by its
//! number or by role and name) or found by the certificate's signer name, and a box that is
//! already signed is never taken again. Nothing falls back to "the next free box": the wrong box
//! would make the report say someone signed who did not. A filled box is recognised by its field
//! name ([`field_name`], written since boxes are chosen this way) or, for reports signed before,
//! by a signature with the box's role and name.
//!
//! A box stands for a unit as well as a person: the enterprise's for 检查人 and 企业负责人, the
//! 监理单位 the report's data records for 监理 ([`crate::check::signing_parties`]). [`check_unit`]
//! refuses a certificate issued to another unit before anything is signed, because the verifier
//! would call that signature invalid (`signer-party-mismatch`).

use std::fmt;

use zicha_sign::{Party, VerificationReport};

use crate::{ReportSummary, SUMMARY_FILE, SlotSummary};

/// How far inside its reserved box a visible signature is drawn, in points.
pub const SLOT_MARGIN: f64 = 4.0;

/// A box reserved on a report's signature page.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureBox {
    /// Its 1-based number, in the order of the report's `summary.json` (the signing order).
    pub number: usize,
    /// Role, name, page and rectangle.
    pub slot: SlotSummary,
    /// Whether a signature already fills it.
    pub signed: bool,
}

impl fmt::Display for SignatureBox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} (page {})",
            self.number, self.slot.role, self.slot.name, self.slot.page
        )
    }
}

/// Which box a signature goes in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartyChoice {
    /// The box with this 1-based number.
    Number(usize),
    /// The box of this role (检查人, 企业负责人, 监理) and person.
    Named {
        /// The role.
        role: String,
        /// The person's name as the report prints it.
        name: String,
    },
    /// The free box of this role (`--party 监理`); when the role has several free boxes, the one
    /// bearing `signer` (the certificate's signer name).
    Role {
        /// The role.
        role: String,
        /// The certificate's common name, filled in by the signing tool before choosing.
        signer: Option<String>,
    },
    /// The box whose name is the certificate's signer name (within `role` when given).
    Signer {
        /// The certificate's common name.
        name: String,
        /// Only boxes of this role.
        role: Option<String>,
    },
}

impl PartyChoice {
    /// Reads `ROLE:NAME` (e.g. `检查人:周敏`, a full-width `：` too), a role alone (`监理`: one of
    /// [`ROLES`]) or a box number (`2`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Ok(number) = text.parse::<usize>() {
            return match number {
                0 => Err("box numbers count from 1".to_owned()),
                number => Ok(PartyChoice::Number(number)),
            };
        }
        match text.split_once([':', '：']) {
            Some((role, name)) if !role.trim().is_empty() && !name.trim().is_empty() => {
                Ok(PartyChoice::Named {
                    role: role.trim().to_owned(),
                    name: name.trim().to_owned(),
                })
            }
            None if ROLES.contains(&text) => Ok(PartyChoice::Role {
                role: text.to_owned(),
                signer: None,
            }),
            _ => Err(format!(
                "{text:?} is neither a role ({}), ROLE:NAME (e.g. 检查人:周敏) nor a box number",
                ROLES.join(", ")
            )),
        }
    }
}

/// The roles a Zicha report reserves boxes for (zicha-report's [`crate::Role`], in Chinese).
pub const ROLES: [&str; 3] = ["检查人", "企业负责人", "监理"];

/// Why no box was chosen. Every variant that can name the free boxes does.
#[derive(Debug, Clone, PartialEq)]
pub enum PlaceError {
    /// The PDF is not a Zicha report (no readable `summary.json`): it reserves no boxes.
    NotAReport,
    /// No box is that number or that role and name.
    NoSuchBox {
        /// What was asked for, as written.
        asked: String,
        /// The boxes not yet signed.
        free: Vec<SignatureBox>,
    },
    /// The box asked for is already signed.
    Signed {
        /// The box.
        signature_box: SignatureBox,
        /// The boxes not yet signed.
        free: Vec<SignatureBox>,
    },
    /// No free box bears the certificate's signer name.
    NoBoxForSigner {
        /// The certificate's signer name.
        signer: String,
        /// The boxes not yet signed.
        free: Vec<SignatureBox>,
    },
    /// Several free boxes bear the signer's name (one person in two roles).
    Ambiguous {
        /// The certificate's signer name.
        signer: String,
        /// The boxes with that name.
        candidates: Vec<SignatureBox>,
    },
    /// The certificate is issued to another unit than the one the box stands for.
    NotTheParty {
        /// The box (boxed: the error stays small).
        signature_box: Box<SignatureBox>,
        /// The certificate's organisation and credit code, as `NAME (CODE)`.
        certificate: String,
        /// The units that may sign in the box (`NAME (CODE)`, joined with ` / `); empty when the
        /// report records none (a 监理 box of a project without a 监理单位).
        party: String,
    },
}

impl PlaceError {
    /// Whether the caller asked for something the report does not have (a usage error), rather
    /// than the report's state or the certificate not fitting (a problem in the input).
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            PlaceError::NotAReport | PlaceError::NoSuchBox { .. } | PlaceError::Ambiguous { .. }
        )
    }
}

fn list(boxes: &[SignatureBox]) -> String {
    if boxes.is_empty() {
        return "none".to_owned();
    }
    boxes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for PlaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlaceError::NotAReport => write!(
                f,
                "not a zicha report: it reserves no signature boxes to choose from"
            ),
            PlaceError::NoSuchBox { asked, free } => {
                write!(
                    f,
                    "the report has no box {asked}; free boxes: {}",
                    list(free)
                )
            }
            PlaceError::Signed {
                signature_box,
                free,
            } => write!(
                f,
                "box {signature_box} is already signed; free boxes: {}",
                list(free)
            ),
            PlaceError::NoBoxForSigner { signer, free } => write!(
                f,
                "no free box for {signer} (the certificate's signer); free boxes: {}",
                list(free)
            ),
            PlaceError::Ambiguous { signer, candidates } => {
                write!(f, "{signer} has several free boxes: {}", list(candidates))
            }
            PlaceError::NotTheParty {
                signature_box,
                certificate,
                party,
            } if party.is_empty() => write!(
                f,
                "box {signature_box} stands for a unit the report does not record; the \
                 certificate is issued to {certificate}"
            ),
            PlaceError::NotTheParty {
                signature_box,
                certificate,
                party,
            } => write!(
                f,
                "the certificate is issued to {certificate}, but box {signature_box} is signed \
                 for {party}"
            ),
        }
    }
}

impl std::error::Error for PlaceError {}

/// The signature field name of box `number`, so that later signers see it is filled.
pub fn field_name(number: usize) -> String {
    format!("ZichaBox{number}")
}

/// The boxes a Zicha report reserved and whether each is signed; `None` for a PDF that is not a
/// Zicha report (no readable `summary.json`).
pub fn boxes(pdf: &[u8]) -> Option<Vec<SignatureBox>> {
    let report = zicha_sign::verify(pdf, &zicha_sign::TrustList::new());
    let files = zicha_sign::embedded_files_with(pdf, &report).ok()?;
    let file = files.iter().find(|file| file.name == SUMMARY_FILE)?;
    let summary: ReportSummary = serde_json::from_slice(&file.bytes).ok()?;
    Some(boxes_of(summary.signature_slots, &report))
}

/// The boxes of `slots` (a report's `summary.json`), each marked signed when a signature of
/// `report` fills it.
pub fn boxes_of(slots: Vec<SlotSummary>, report: &VerificationReport) -> Vec<SignatureBox> {
    slots
        .into_iter()
        .enumerate()
        .map(|(index, slot)| {
            let number = index + 1;
            let signed = report.signatures.iter().any(|signature| {
                signature.field == field_name(number)
                    || (signature.role.as_deref() == Some(slot.role.as_str())
                        && signature.signer.as_deref() == Some(slot.name.as_str()))
            });
            SignatureBox {
                number,
                slot,
                signed,
            }
        })
        .collect()
}

/// The units that may sign in `signature_box` of the report `pdf`, from its embedded data
/// ([`crate::check::signing_parties`]); `None` when the report carries no readable data.
pub fn units(pdf: &[u8], signature_box: &SignatureBox) -> Option<Vec<Party>> {
    let report = zicha_sign::verify(pdf, &zicha_sign::TrustList::new());
    let files = zicha_sign::embedded_files_with(pdf, &report).ok()?;
    let file = files.iter().find(|file| file.name == "inspection.json")?;
    let data = zicha_core::bundle::parse_data(&file.bytes).ok()?;
    Some(
        crate::check::signing_parties(&data)
            .into_iter()
            .find(|(role, _)| role.zh() == signature_box.slot.role)
            .map(|(_, units)| units)
            .unwrap_or_default(),
    )
}

/// Refuses a certificate of `organisation` and `credit_code` for `signature_box` unless it is
/// issued to one of `units`, the units that may sign there ([`units`]).
pub fn check_unit(
    signature_box: &SignatureBox,
    units: &[Party],
    organisation: &str,
    credit_code: &str,
) -> Result<(), PlaceError> {
    if units
        .iter()
        .any(|unit| unit.is_issuer_of(organisation, credit_code))
    {
        return Ok(());
    }
    let certificate = if credit_code.trim().is_empty() {
        format!("{organisation} (—)")
    } else {
        format!("{organisation} ({credit_code})")
    };
    Err(PlaceError::NotTheParty {
        signature_box: Box::new(signature_box.clone()),
        certificate,
        party: units
            .iter()
            .map(|unit| match &unit.credit_code {
                Some(code) => format!("{} ({code})", unit.organisation),
                None => unit.organisation.clone(),
            })
            .collect::<Vec<_>>()
            .join(" / "),
    })
}

/// The free box `choice` names among `boxes`, or why there is none.
pub fn choose(boxes: &[SignatureBox], choice: &PartyChoice) -> Result<SignatureBox, PlaceError> {
    let free = || -> Vec<SignatureBox> {
        boxes
            .iter()
            .filter(|signature_box| !signature_box.signed)
            .cloned()
            .collect()
    };
    let chosen = match choice {
        PartyChoice::Number(number) => boxes
            .iter()
            .find(|signature_box| signature_box.number == *number)
            .ok_or_else(|| PlaceError::NoSuchBox {
                asked: number.to_string(),
                free: free(),
            })?,
        PartyChoice::Named { role, name } => boxes
            .iter()
            .filter(|signature_box| {
                signature_box.slot.role == *role && signature_box.slot.name == *name
            })
            // The same person may appear twice in one role only by mistake; take a free one.
            .min_by_key(|signature_box| signature_box.signed)
            .ok_or_else(|| PlaceError::NoSuchBox {
                asked: format!("{role}:{name}"),
                free: free(),
            })?,
        PartyChoice::Role { role, signer } => {
            let of_role: Vec<&SignatureBox> = boxes
                .iter()
                .filter(|signature_box| signature_box.slot.role == *role)
                .collect();
            let free_of_role: Vec<SignatureBox> = of_role
                .iter()
                .filter(|signature_box| !signature_box.signed)
                .map(|signature_box| (*signature_box).clone())
                .collect();
            return match (of_role.first(), free_of_role.as_slice()) {
                (None, _) => Err(PlaceError::NoSuchBox {
                    asked: role.clone(),
                    free: free(),
                }),
                (Some(first), []) => Err(PlaceError::Signed {
                    signature_box: (*first).clone(),
                    free: free(),
                }),
                (_, [one]) => Ok(one.clone()),
                (_, several) => {
                    let named: Vec<&SignatureBox> = several
                        .iter()
                        .filter(|signature_box| Some(&signature_box.slot.name) == signer.as_ref())
                        .collect();
                    match named.as_slice() {
                        [one] => Ok((*one).clone()),
                        _ => Err(PlaceError::Ambiguous {
                            signer: signer.clone().unwrap_or_else(|| role.clone()),
                            candidates: several.to_vec(),
                        }),
                    }
                }
            };
        }
        PartyChoice::Signer { name, role } => {
            let candidates: Vec<SignatureBox> = free()
                .into_iter()
                .filter(|signature_box| signature_box.slot.name == *name)
                .filter(|signature_box| role.as_ref().is_none_or(|r| signature_box.slot.role == *r))
                .collect();
            return match candidates.as_slice() {
                [one] => Ok(one.clone()),
                [] => Err(PlaceError::NoBoxForSigner {
                    signer: name.clone(),
                    free: free(),
                }),
                _ => Err(PlaceError::Ambiguous {
                    signer: name.clone(),
                    candidates,
                }),
            };
        }
    };
    if chosen.signed {
        return Err(PlaceError::Signed {
            signature_box: chosen.clone(),
            free: free(),
        });
    }
    Ok(chosen.clone())
}

/// The widget rectangle inside `slot` (`SLOT_MARGIN` from its edges) and its 0-based page.
pub fn widget_place(slot: &SlotSummary) -> (usize, [f64; 4]) {
    let [x1, y1, x2, y2] = slot.rect.map(f64::from);
    (
        slot.page.saturating_sub(1),
        [
            x1 + SLOT_MARGIN,
            y1 + SLOT_MARGIN,
            x2 - SLOT_MARGIN,
            y2 - SLOT_MARGIN,
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signature_box(number: usize, role: &str, name: &str, signed: bool) -> SignatureBox {
        SignatureBox {
            number,
            slot: SlotSummary {
                role: role.to_owned(),
                name: name.to_owned(),
                page: 6,
                rect: [0.0, 0.0, 100.0, 50.0],
            },
            signed,
        }
    }

    /// 检查人 周敏 (signed), 检查人 张三, 企业负责人 李四, 监理 张三.
    fn report() -> Vec<SignatureBox> {
        vec![
            signature_box(1, "检查人", "周敏", true),
            signature_box(2, "检查人", "张三", false),
            signature_box(3, "企业负责人", "李四", false),
            signature_box(4, "监理", "张三", false),
        ]
    }

    #[track_caller]
    fn check(choice: &str, expected: Result<usize, &str>) {
        let choice = match choice.strip_prefix("signer ") {
            Some(rest) => {
                let (name, role) = match rest.split_once(" in ") {
                    Some((name, role)) => (name, Some(role.to_owned())),
                    None => (rest, None),
                };
                PartyChoice::Signer {
                    name: name.to_owned(),
                    role,
                }
            }
            None => PartyChoice::parse(choice).expect("a choice"),
        };
        let got = choose(&report(), &choice)
            .map(|signature_box| signature_box.number)
            .map_err(|error| error.to_string());
        assert_eq!(got, expected.map_err(str::to_owned), "{choice:?}");
    }

    #[test]
    fn a_signature_goes_only_into_its_own_free_box() {
        check("2", Ok(2));
        check("检查人:张三", Ok(2));
        check("企业负责人：李四", Ok(3));
        check("signer 李四", Ok(3));
        check("signer 张三 in 监理", Ok(4));
        check(
            "1",
            Err(
                "box 1 检查人 周敏 (page 6) is already signed; free boxes: 2 检查人 张三 (page 6), \
                 3 企业负责人 李四 (page 6), 4 监理 张三 (page 6)",
            ),
        );
        check(
            "检查人:周敏",
            Err(
                "box 1 检查人 周敏 (page 6) is already signed; free boxes: 2 检查人 张三 (page 6), \
                 3 企业负责人 李四 (page 6), 4 监理 张三 (page 6)",
            ),
        );
        // 周敏's box is signed: 周敏's certificate finds no other box to go to.
        check(
            "signer 周敏",
            Err(
                "no free box for 周敏 (the certificate's signer); free boxes: 2 检查人 张三 (page 6), \
                 3 企业负责人 李四 (page 6), 4 监理 张三 (page 6)",
            ),
        );
        check(
            "signer 王五",
            Err(
                "no free box for 王五 (the certificate's signer); free boxes: 2 检查人 张三 (page 6), \
                 3 企业负责人 李四 (page 6), 4 监理 张三 (page 6)",
            ),
        );
        check(
            "signer 张三",
            Err("张三 has several free boxes: 2 检查人 张三 (page 6), 4 监理 张三 (page 6)"),
        );
        check(
            "9",
            Err(
                "the report has no box 9; free boxes: 2 检查人 张三 (page 6), \
                 3 企业负责人 李四 (page 6), 4 监理 张三 (page 6)",
            ),
        );
        check(
            "监理:李四",
            Err(
                "the report has no box 监理:李四; free boxes: 2 检查人 张三 (page 6), \
                 3 企业负责人 李四 (page 6), 4 监理 张三 (page 6)",
            ),
        );
    }

    #[test]
    fn a_role_alone_takes_its_one_free_box() {
        check("监理", Ok(4));
        check("企业负责人", Ok(3));
        // 周敏's box is signed: the one free 检查人 box is 张三's.
        check("检查人", Ok(2));
        let role = |role: &str, signer: Option<&str>| PartyChoice::Role {
            role: role.to_owned(),
            signer: signer.map(str::to_owned),
        };
        let mut boxes = report();
        boxes[0].signed = false;
        boxes[3].signed = true;
        let chosen = |boxes: &[SignatureBox], choice: &PartyChoice| {
            choose(boxes, choice)
                .map(|signature_box| signature_box.number)
                .map_err(|error| error.to_string())
        };
        // Two free 检查人 boxes: the certificate's signer name picks one, or none does.
        assert_eq!(chosen(&boxes, &role("检查人", Some("周敏"))), Ok(1));
        assert_eq!(chosen(&boxes, &role("检查人", Some("张三"))), Ok(2));
        assert_eq!(
            chosen(&boxes, &role("检查人", Some("王五"))),
            Err(
                "王五 has several free boxes: 1 检查人 周敏 (page 6), 2 检查人 张三 (page 6)"
                    .to_owned()
            )
        );
        // The 监理 box is signed: never signed again.
        assert_eq!(
            chosen(&boxes, &role("监理", Some("张三"))),
            Err(
                "box 4 监理 张三 (page 6) is already signed; free boxes: 1 检查人 周敏 (page 6), \
                 2 检查人 张三 (page 6), 3 企业负责人 李四 (page 6)"
                    .to_owned()
            )
        );
        let without_supervisor = &boxes[..3];
        assert_eq!(
            chosen(without_supervisor, &role("监理", None)),
            Err(
                "the report has no box 监理; free boxes: 1 检查人 周敏 (page 6), \
                 2 检查人 张三 (page 6), 3 企业负责人 李四 (page 6)"
                    .to_owned()
            )
        );
    }

    #[test]
    fn a_certificate_of_another_unit_is_refused() {
        let supervisor = signature_box(4, "监理", "王五", false);
        let unit = |organisation: &str, credit_code: Option<&str>| Party {
            organisation: organisation.to_owned(),
            credit_code: credit_code.map(str::to_owned),
        };
        let units = [unit("福州建设监理有限公司", Some("91350100MA2XXXXX1A"))];
        let check_unit = |organisation: &str, credit_code: &str| {
            check_unit(&supervisor, &units, organisation, credit_code).map_err(|e| e.to_string())
        };
        assert_eq!(
            check_unit("福州建设监理有限公司", "91350100MA2XXXXX1A"),
            Ok(())
        );
        // Case of the code and spaces around the name do not count.
        assert_eq!(
            check_unit(" 福州建设监理有限公司", "91350100ma2xxxxx1a"),
            Ok(())
        );
        assert_eq!(
            check_unit("闽江建设工程有限公司", "91350100MA2YYYYY2B"),
            Err(
                "the certificate is issued to 闽江建设工程有限公司 (91350100MA2YYYYY2B), but box \
                 4 监理 王五 (page 6) is signed for 福州建设监理有限公司 (91350100MA2XXXXX1A)"
                    .to_owned()
            )
        );
        // Same name, another credit code: another unit.
        assert!(check_unit("福州建设监理有限公司", "91350100MA2YYYYY2B").is_err());
        // A unit recorded without a credit code is matched by its name.
        let by_name = [unit("福州建设监理有限公司", None)];
        assert_eq!(
            check_unit_of(&supervisor, &by_name, "福州建设监理有限公司", ""),
            Ok(())
        );
        assert_eq!(
            check_unit_of(&supervisor, &[], "福州建设监理有限公司", ""),
            Err(
                "box 4 监理 王五 (page 6) stands for a unit the report does not record; the \
                 certificate is issued to 福州建设监理有限公司 (—)"
                    .to_owned()
            )
        );
    }

    fn check_unit_of(
        signature_box: &SignatureBox,
        units: &[Party],
        organisation: &str,
        credit_code: &str,
    ) -> Result<(), String> {
        check_unit(signature_box, units, organisation, credit_code).map_err(|e| e.to_string())
    }

    #[test]
    fn party_choices_are_read() {
        assert_eq!(PartyChoice::parse(" 3 "), Ok(PartyChoice::Number(3)));
        assert_eq!(
            PartyChoice::parse("监理: 王五"),
            Ok(PartyChoice::Named {
                role: "监理".to_owned(),
                name: "王五".to_owned()
            })
        );
        assert_eq!(
            PartyChoice::parse("0"),
            Err("box numbers count from 1".to_owned())
        );
        assert_eq!(
            PartyChoice::parse(" 监理 "),
            Ok(PartyChoice::Role {
                role: "监理".to_owned(),
                signer: None
            })
        );
        assert_eq!(
            PartyChoice::parse("周敏"),
            Err(
                "\"周敏\" is neither a role (检查人, 企业负责人, 监理), ROLE:NAME (e.g. 检查人:周敏) \
                 nor a box number"
                    .to_owned()
            )
        );
        assert!(PartyChoice::parse("检查人:").is_err());
    }
}
