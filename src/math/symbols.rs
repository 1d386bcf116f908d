//! What each LaTeX command names, as plain tables: `name char` pairs in one string per class
//! (one string is a fraction of the size of a table of pairs in the wasm, and a linear scan
//! over a few hundred names per command is nothing next to drawing it), and the Unicode
//! mathematical alphabets that `\mathbb`, `\mathbf`, … map letters into.

use crate::prelude::*;

/// Identifiers (`<mi>`): Greek letters and letter-like symbols. Upper-case Greek is upright,
/// as TeX sets it.
pub const LETTERS: &str = "alpha α beta β gamma γ delta δ epsilon ϵ varepsilon ε zeta ζ eta η \
    theta θ vartheta ϑ iota ι kappa κ varkappa ϰ lambda λ mu μ nu ν xi ξ omicron ο pi π varpi ϖ \
    rho ρ varrho ϱ sigma σ varsigma ς tau τ upsilon υ phi ϕ varphi φ chi χ psi ψ omega ω \
    Gamma Γ Delta Δ Theta Θ Lambda Λ Xi Ξ Pi Π Sigma Σ Upsilon Υ Phi Φ Psi Ψ Omega Ω \
    varGamma 𝛤 varDelta 𝛥 varTheta 𝛩 varLambda 𝛬 varXi 𝛯 varPi 𝛱 varSigma 𝛴 varPhi 𝛷 \
    varPsi 𝛹 varOmega 𝛺 infty ∞ partial ∂ nabla ∇ ell ℓ hbar ℏ hslash ℏ imath ı jmath ȷ \
    aleph ℵ beth ℶ gimel ℷ Re ℜ Im ℑ wp ℘ emptyset ∅ varnothing ∅ top ⊤ bot ⊥ angle ∠ \
    measuredangle ∡ triangle △ forall ∀ exists ∃ nexists ∄ neg ¬ lnot ¬ complement ∁ \
    flat ♭ sharp ♯ natural ♮ clubsuit ♣ diamondsuit ♢ heartsuit ♡ spadesuit ♠ checkmark ✓ \
    circledR ® dag † ddag ‡ S § P ¶ copyright © pounds £ yen ¥ euro € degree ° Box □ \
    Diamond ◊ square □ blacksquare ■ lozenge ◊ star ⋆";

/// Operators and relations (`<mo>`).
pub const OPERATORS: &str = "pm ± mp ∓ times × div ÷ cdot ⋅ ast ∗ circ ∘ bullet ∙ \
    oplus ⊕ ominus ⊖ otimes ⊗ oslash ⊘ odot ⊙ cup ∪ cap ∩ sqcup ⊔ sqcap ⊓ vee ∨ wedge ∧ \
    land ∧ lor ∨ setminus ∖ smallsetminus ∖ wr ≀ dagger † ddagger ‡ amalg ⨿ uplus ⊎ \
    triangleleft ◃ triangleright ▹ bigtriangleup △ bigtriangledown ▽ lhd ⊲ rhd ⊳ \
    le ≤ leq ≤ ge ≥ geq ≥ ne ≠ neq ≠ lt < gt > ll ≪ gg ≫ leqslant ⩽ geqslant ⩾ lesssim ≲ \
    gtrsim ≳ approx ≈ approxeq ≊ equiv ≡ sim ∼ simeq ≃ cong ≅ propto ∝ asymp ≍ doteq ≐ \
    prec ≺ succ ≻ preceq ⪯ succeq ⪰ subset ⊂ supset ⊃ subseteq ⊆ supseteq ⊇ subsetneq ⊊ \
    supsetneq ⊋ sqsubseteq ⊑ sqsupseteq ⊒ in ∈ ni ∋ notin ∉ owns ∋ mid ∣ nmid ∤ \
    parallel ∥ nparallel ∦ perp ⟂ models ⊨ vdash ⊢ dashv ⊣ vDash ⊨ bowtie ⋈ smile ⌣ \
    frown ⌢ coloneqq ≔ triangleq ≜ nleq ≰ ngeq ≱ nless ≮ ngtr ≯ nsim ≁ ncong ≇ \
    to → rightarrow → leftarrow ← gets ← leftrightarrow ↔ Rightarrow ⇒ Leftarrow ⇐ \
    Leftrightarrow ⇔ implies ⟹ impliedby ⟸ iff ⟺ longrightarrow ⟶ longleftarrow ⟵ \
    longleftrightarrow ⟷ Longrightarrow ⟹ Longleftarrow ⟸ Longleftrightarrow ⟺ mapsto ↦ \
    longmapsto ⟼ uparrow ↑ downarrow ↓ updownarrow ↕ Uparrow ⇑ Downarrow ⇓ nearrow ↗ \
    searrow ↘ swarrow ↙ nwarrow ↖ hookrightarrow ↪ hookleftarrow ↩ rightharpoonup ⇀ \
    leftharpoonup ↼ rightleftharpoons ⇌ leftrightarrows ⇆ rightrightarrows ⇉ leadsto ⇝ \
    twoheadrightarrow ↠ ldots … cdots ⋯ vdots ⋮ ddots ⋱ dots … dotsc … dotsb ⋯ colon : \
    vert | Vert ‖ lvert | rvert | lVert ‖ rVert ‖ langle ⟨ rangle ⟩ lceil ⌈ rceil ⌉ \
    lfloor ⌊ rfloor ⌋ backslash ∖ therefore ∴ because ∵ cdotp ⋅ ldotp . shortmid ∣ \
    lbrace { rbrace } lbrack [ rbrack ] { { } } | ‖ _ _ % % $ $ # # & & ";

/// Large operators whose limits go under and over in display style.
pub const BIG: &str = "sum ∑ prod ∏ coprod ∐ bigcup ⋃ bigcap ⋂ bigvee ⋁ bigwedge ⋀ \
    bigoplus ⨁ bigotimes ⨂ bigodot ⨀ biguplus ⨄ bigsqcup ⨆ ";

/// Integrals: their limits are scripts.
pub const INTEGRALS: &str = "int ∫ iint ∬ iiint ∭ oint ∮ oiint ∯ ";

/// Function names, upright; those in `LIMITS` take their limits under in display style.
pub const FUNCTIONS: &str = "arccos arcsin arctan arg cos cosh cot coth csc deg det dim exp gcd \
    hom inf ker lg lim liminf limsup ln log max min Pr sec sin sinh sup tan tanh";
pub const LIMITS: &str = "det gcd inf lim liminf limsup max min Pr sup";

/// Accents: (command, character, stretches over its base).
pub const ACCENTS: &str = "hat ^ check ˇ tilde ~ acute ´ grave ` dot ˙ ddot ¨ breve ˘ bar ‾ \
    vec → mathring ˚ widehat ^ widetilde ~ overline ‾ overrightarrow → overleftarrow ← \
    overleftrightarrow ↔ overbrace ⏞ ";

/// Accents set under their base.
pub const UNDER: &str = "underline _ underbrace ⏟ underrightarrow → underleftarrow ← ";

/// The value after `name ` in a `name value …` list.
pub fn lookup(list: &'static str, name: &str) -> Option<&'static str> {
    let mut words = split_byte(list, b' ').filter(|w| !w.is_empty());
    while let Some(w) = words.next() {
        let value = words.next()?;
        if w == name {
            return Some(value);
        }
    }
    None
}

/// The Unicode mathematical alphabets: (command, capitals, small letters, digits), each the
/// code point of `A`, `a`, `0` (0: the letter stays as it is). Letters the block leaves out
/// are in the letter-like symbols block (`HOLES`).
pub const FONTS: &[(&str, u32, u32, u32)] = &[
    ("mathbf", 0x1D400, 0x1D41A, 0x1D7CE),
    ("boldsymbol", 0x1D468, 0x1D482, 0x1D7CE),
    ("bm", 0x1D468, 0x1D482, 0x1D7CE),
    ("mathit", 0x1D434, 0x1D44E, 0),
    ("mathcal", 0x1D49C, 0x1D4B6, 0),
    ("mathscr", 0x1D49C, 0x1D4B6, 0),
    ("mathfrak", 0x1D504, 0x1D51E, 0),
    ("mathbb", 0x1D538, 0x1D552, 0x1D7D8),
    ("mathsf", 0x1D5A0, 0x1D5BA, 0x1D7E2),
    ("mathtt", 0x1D670, 0x1D68A, 0x1D7F6),
];

/// Letters whose mathematical forms predate the alphabets: (alphabet start, letter, char).
const HOLES: &[(u32, u8, char)] = &[
    (0x1D434, b'h', 'ℎ'),
    (0x1D49C, b'B', 'ℬ'),
    (0x1D49C, b'E', 'ℰ'),
    (0x1D49C, b'F', 'ℱ'),
    (0x1D49C, b'H', 'ℋ'),
    (0x1D49C, b'I', 'ℐ'),
    (0x1D49C, b'L', 'ℒ'),
    (0x1D49C, b'M', 'ℳ'),
    (0x1D49C, b'R', 'ℛ'),
    (0x1D49C, b'e', 'ℯ'),
    (0x1D49C, b'g', 'ℊ'),
    (0x1D49C, b'o', 'ℴ'),
    (0x1D504, b'C', 'ℭ'),
    (0x1D504, b'H', 'ℌ'),
    (0x1D504, b'I', 'ℑ'),
    (0x1D504, b'R', 'ℜ'),
    (0x1D504, b'Z', 'ℨ'),
    (0x1D538, b'C', 'ℂ'),
    (0x1D538, b'H', 'ℍ'),
    (0x1D538, b'N', 'ℕ'),
    (0x1D538, b'P', 'ℙ'),
    (0x1D538, b'Q', 'ℚ'),
    (0x1D538, b'R', 'ℝ'),
    (0x1D538, b'Z', 'ℤ'),
];

/// `c` in the alphabet of `font` (a `FONTS` row); anything but ASCII letters and digits
/// stays as it is.
pub fn styled(font: (&str, u32, u32, u32), c: char) -> char {
    let (_, caps, small, digits) = font;
    let b = c as u32;
    let (base, offset) = match c {
        'A'..='Z' => (caps, b - 'A' as u32),
        'a'..='z' => (small, b - 'a' as u32),
        '0'..='9' if digits != 0 => (digits, b - '0' as u32),
        _ => return c,
    };
    // The holes are listed by the alphabet's capital A (the small letters' rows too).
    if let Some(&(_, _, hole)) = HOLES
        .iter()
        .find(|&&(start, letter, _)| start == caps && letter as char == c)
    {
        return hole;
    }
    char::from_u32(base + offset).unwrap_or(c)
}
