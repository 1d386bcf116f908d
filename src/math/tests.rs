use super::*;

fn ml(tex: &str) -> String {
    let m = to_mathml(tex, false).expect("converts");
    let body = m.trim_start_matches("<math><semantics>");
    let end = body.find("<annotation").unwrap();
    body[..end].to_owned()
}

#[test]
fn scratch() {
    for t in [
        r"\frac{a}{b}",
        r"x^2_i",
        r"\sum_{i=1}^n i",
        r"\sqrt[3]{x}",
        r"\alpha + \Gamma",
        r"\mathbb{R}",
        r"\left( \frac12 \right)",
        r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}",
        r"\text{if } x",
        r"\lim_{x\to 0} \sin x",
        r"f'(x)",
        r"\href{javascript:alert(1)}{x}",
        r"\not= \not\in",
        r"a \over b",
    ] {
        println!("{t}\n  {}", ml(t));
    }
}
