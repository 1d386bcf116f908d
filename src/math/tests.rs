use super::*;

/// The MathML inside `<math><semantics>`, without the annotation.
fn ml(tex: &str) -> String {
    let m = to_mathml(tex, false).expect("converts");
    let body = m.trim_start_matches("<math><semantics>");
    let end = body.find("<annotation").expect("an annotation");
    body[..end].to_owned()
}

/// Each construct as MathML Core writes it (checked by eye against the spec's elements:
/// mfrac, msqrt/mroot, msub/msup/msubsup, munder/mover/munderover with movablelimits on the
/// operator, mtable/mtr/mtd, mo with fence/form/stretchy, mi's mathvariant="normal").
#[test]
fn constructs_convert_to_their_mathml_core_elements() {
    let cases: &[(&str, &str)] = &[
        (r"\frac{a}{b}", r#"<mfrac><mi>a</mi><mi>b</mi></mfrac>"#),
        (r"\sqrt{x}", r#"<msqrt><mi>x</mi></msqrt>"#),
        (r"\sqrt[3]{x}", r#"<mroot><mi>x</mi><mn>3</mn></mroot>"#),
        (
            r"x_i^2",
            r#"<msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup>"#,
        ),
        (
            r"\sum_{i=1}^{n} i",
            r#"<mrow><munderover><mo movablelimits="true">∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover><mi>i</mi></mrow>"#,
        ),
        (
            r"\int_0^1 f(x)\,dx",
            r#"<mrow><msubsup><mo>∫</mo><mn>0</mn><mn>1</mn></msubsup><mi>f</mi><mo stretchy="false">(</mo><mi>x</mi><mo stretchy="false">)</mo><mspace width="0.1667em"></mspace><mi>d</mi><mi>x</mi></mrow>"#,
        ),
        (
            r"\lim_{x \to 0} \sin x",
            r#"<mrow><munder><mo movablelimits="true">lim</mo><mrow><mi>x</mi><mo>→</mo><mn>0</mn></mrow></munder><mi>sin</mi><mo>⁡</mo><mi>x</mi></mrow>"#,
        ),
        (
            r"\alpha + \Gamma",
            r#"<mrow><mi>α</mi><mo>+</mo><mi mathvariant="normal">Γ</mi></mrow>"#,
        ),
        (r"\mathbb{R}^n", r#"<msup><mi>ℝ</mi><mi>n</mi></msup>"#),
        (
            r"\mathrm{d}x",
            r#"<mrow><mi mathvariant="normal">d</mi><mi>x</mi></mrow>"#,
        ),
        (
            r"\hat{x}",
            r#"<mover accent="true"><mi>x</mi><mo stretchy="false">^</mo></mover>"#,
        ),
        (
            r"\overline{AB}",
            r#"<mover accent="true"><mrow><mi>A</mi><mi>B</mi></mrow><mo stretchy="true">‾</mo></mover>"#,
        ),
        (
            r"\left( \frac{1}{2} \right)",
            r#"<mrow><mo fence="true" form="prefix" stretchy="true">(</mo><mfrac><mn>1</mn><mn>2</mn></mfrac><mo fence="true" form="postfix" stretchy="true">)</mo></mrow>"#,
        ),
        (
            r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}",
            r#"<mrow><mo fence="true" form="prefix" stretchy="true">(</mo><mtable><mtr><mtd><mi>a</mi></mtd><mtd><mi>b</mi></mtd></mtr><mtr><mtd><mi>c</mi></mtd><mtd><mi>d</mi></mtd></mtr></mtable><mo fence="true" form="postfix" stretchy="true">)</mo></mrow>"#,
        ),
        (
            r"\begin{cases} 1 & x > 0 \\ 0 & \text{else} \end{cases}",
            r#"<mrow><mo fence="true" form="prefix" stretchy="true">{</mo><mtable><mtr><mtd class="ml"><mn>1</mn></mtd><mtd class="ml"><mrow><mi>x</mi><mo>&gt;</mo><mn>0</mn></mrow></mtd></mtr><mtr><mtd class="ml"><mn>0</mn></mtd><mtd class="ml"><mtext>else</mtext></mtd></mtr></mtable></mrow>"#,
        ),
        (
            r"\begin{aligned} a &= b \\ c &= d \end{aligned}",
            r#"<mstyle displaystyle="true"><mtable><mtr><mtd class="mr"><mi>a</mi></mtd><mtd class="ml"><mrow><mo>=</mo><mi>b</mi></mrow></mtd></mtr><mtr><mtd class="mr"><mi>c</mi></mtd><mtd class="ml"><mrow><mo>=</mo><mi>d</mi></mrow></mtd></mtr></mtable></mstyle>"#,
        ),
        (
            r"\binom{n}{k}",
            r#"<mrow><mo>(</mo><mfrac linethickness="0"><mi>n</mi><mi>k</mi></mfrac><mo>)</mo></mrow>"#,
        ),
        (
            r"f'(x)",
            r#"<mrow><msup><mi>f</mi><mo>′</mo></msup><mo stretchy="false">(</mo><mi>x</mi><mo stretchy="false">)</mo></mrow>"#,
        ),
        (
            r"\text{if } x",
            r#"<mrow><mtext>if </mtext><mi>x</mi></mrow>"#,
        ),
        (
            r"a \not\in B",
            r#"<mrow><mi>a</mi><mo>∉</mo><mi>B</mi></mrow>"#,
        ),
        (
            r"(x - \mu)^2",
            r#"<msup><mrow><mo stretchy="false">(</mo><mi>x</mi><mo>−</mo><mi>μ</mi><mo stretchy="false">)</mo></mrow><mn>2</mn></msup>"#,
        ),
        (
            r"\big( x \big)",
            r#"<mrow><mo minsize="1.2em" maxsize="1.2em">(</mo><mi>x</mi><mo minsize="1.2em" maxsize="1.2em">)</mo></mrow>"#,
        ),
        (
            r"\operatorname{rank} A",
            r#"<mrow><mi>rank</mi><mo>⁡</mo><mi>A</mi></mrow>"#,
        ),
        (
            r"-1 * 2",
            r#"<mrow><mo>−</mo><mn>1</mn><mo>∗</mo><mn>2</mn></mrow>"#,
        ),
        (r"3.14", r#"<mn>3.14</mn>"#),
        (
            r"\{ a \}",
            r#"<mrow><mo stretchy="false">{</mo><mi>a</mi><mo stretchy="false">}</mo></mrow>"#,
        ),
    ];
    for (tex, want) in cases {
        assert_eq!(ml(tex), *want, "{tex}");
    }
}

#[test]
fn the_whole_element_keeps_the_source_and_says_display() {
    assert_eq!(
        to_mathml("x", true).unwrap(),
        r#"<math display="block"><semantics><mi>x</mi><annotation encoding="application/x-tex">x</annotation></semantics></math>"#
    );
    // The source is text: markup in it is escaped, never parsed.
    assert!(to_mathml(r"\text{<b>}", false)
        .unwrap()
        .contains("<mtext>&lt;b&gt;</mtext>"));
}

#[test]
fn unknown_and_hostile_commands_are_marked_source() {
    for tex in [
        r"\href{javascript:alert(1)}{x}",
        r"\url{javascript:alert(1)}",
        r"\htmlClass{x}{y}",
        r"\htmlStyle{color:red}{y}",
        r"\includegraphics{x.png}",
        r"\def",
        r"\textcolor{#f00}{x}",
        r"\textcolor{red;background:url(x)}{x}",
    ] {
        assert_eq!(
            ml(tex),
            format!("<merror><mtext>{tex}</mtext></merror>"),
            "{tex}"
        );
    }
}

#[test]
fn boxed_answers_equation_tags_and_named_colours() {
    assert_eq!(
        ml(r"\boxed{42}"),
        r#"<mrow class="boxed"><mn>42</mn></mrow>"#
    );
    assert_eq!(
        ml(r"E = mc^2 \tag{1}"),
        r#"<mrow><mi>E</mi><mo>=</mo><mi>m</mi><msup><mi>c</mi><mn>2</mn></msup><mrow><mspace width="2em"></mspace><mtext>(1)</mtext></mrow></mrow>"#
    );
    assert_eq!(
        ml(r"a + {\color{red} b + c} + \textcolor{Blue}{d}"),
        r#"<mrow><mi>a</mi><mo>+</mo><mrow class="c-red"><mi>b</mi><mo>+</mo><mi>c</mi></mrow><mo>+</mo><mrow class="c-blue"><mi>d</mi></mrow></mrow>"#
    );
    // A colour we do not name is its source, marked; what follows it still renders.
    assert_eq!(
        ml(r"\color{#123} x"),
        r#"<mrow><merror><mtext>\color{#123}</mtext></merror><mi>x</mi></mrow>"#
    );
}

#[test]
fn limits_refuse_what_is_too_long_too_deep_or_too_big() {
    assert_eq!(
        convert(&"x".repeat(MAX_SOURCE + 1), false),
        Err(Refused::TooLong)
    );
    let deep = format!(
        "{}x{}",
        "{".repeat(MAX_DEPTH + 1),
        "}".repeat(MAX_DEPTH + 1)
    );
    assert_eq!(convert(&deep, false), Err(Refused::TooDeep));
    let fracs = format!(
        "{}b{}",
        r"\frac{a}{".repeat(MAX_DEPTH),
        "}".repeat(MAX_DEPTH)
    );
    assert_eq!(convert(&fracs, false), Err(Refused::TooDeep));
    let big = "ab".repeat(MAX_NODES / 2 + 500);
    assert!(big.len() <= MAX_SOURCE);
    assert_eq!(convert(&big, false), Err(Refused::TooBig));
    for bad in [
        r"\frac{a}",
        "{x",
        "x}",
        r"\left( x",
        r"\begin{matrix} a",
        r"\begin{matrix} a \end{pmatrix}",
        r"\sqrt",
    ] {
        assert_eq!(convert(bad, false), Err(Refused::Syntax), "{bad}");
    }
}

mod props {
    use super::super::*;
    use proptest::prelude::*;

    const TAGS: &[&str] = &[
        "math",
        "semantics",
        "annotation",
        "mrow",
        "mi",
        "mn",
        "mo",
        "mtext",
        "mspace",
        "mfrac",
        "msqrt",
        "mroot",
        "msub",
        "msup",
        "msubsup",
        "munder",
        "mover",
        "munderover",
        "mtable",
        "mtr",
        "mtd",
        "mstyle",
        "merror",
    ];

    fn check(el: &El) -> Result<(), TestCaseError> {
        prop_assert!(TAGS.contains(&el.tag), "tag {}", el.tag);
        for c in &el.children {
            check(c)?;
        }
        Ok(())
    }

    proptest! {
        /// Whatever the TeX: no panic, and only MathML Core elements within the size bound.
        #[test]
        fn any_tex_converts_or_is_refused(tex in r"(\\(frac|sqrt|left|right|begin\{(matrix|cases)\}|end\{(matrix|cases)\}|text|mathbb|hat|sum|alpha|href|not|big|\\)|[{}^_&a-z0-9()|+ -]){0,60}") {
            if let Ok(el) = convert(&tex, false) {
                check(&el)?;
                prop_assert!(el.count() <= MAX_NODES);
            }
        }
    }
}
