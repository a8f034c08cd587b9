use crate::common::*;

#[test]
fn write_signed_files_for_manual_checks() {
    let (pdf, _) = make_pdf(3);
    std::fs::write(temp_path("plain.pdf"), &pdf).unwrap();
    let once = sign_as(&pdf, &inspector(), "检查人");
    std::fs::write("/tmp/zicha-once.pdf", &once).unwrap();
    std::fs::write("/tmp/zicha-cert.pem", inspector().certificate.to_pem()).unwrap();
    let twice = sign_as(
        &once,
        &signer(8, "李四", "福州示例化工有限公司"),
        "企业负责人",
    );
    let thrice = sign_as(&twice, &signer(9, "王五", "福建监理有限公司"), "监理");
    std::fs::write("/tmp/zicha-thrice.pdf", &thrice).unwrap();
}
