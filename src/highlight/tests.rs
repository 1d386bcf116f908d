use super::*;

/// A block rendered as `{kind text}` for tokens and the text itself for plain runs.
pub fn show(lang: &str, code: &str) -> String {
    let mut h = Highlighter::new(lang).expect("known language");
    let mut out = String::new();
    for (n, line) in code.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let mut toks = Vec::new();
        h.line(line, &mut toks);
        let mut from = 0;
        for t in toks {
            let text = &line[from..t.end];
            if t.kind == Kind::Plain {
                out.push_str(text);
            } else {
                out.push('{');
                out.push_str(&t.kind.class()[3..]);
                out.push(' ');
                out.push_str(text);
                out.push('}');
            }
            from = t.end;
        }
        assert_eq!(from, line.len(), "tokens cover the line");
    }
    out
}

/// One short block per language, and its tokens as `show` writes them (checked by eye when
/// written: what a reader of that language would colour, and nothing across a boundary).
const GOLDEN: &[(&str, &str, &str)] = &[
    (
        "js",
        "import x from './x.js';\nconst n = 1.5e3, s = `a ${b} c`; // note\n/* multi\nline */ let re = null;",
        r##"{kw import} x {kw from} {str './x.js'}{pun ;}
{kw const} n {op =} {num 1.5e3}{pun ,} s {op =} {str `a }{int ${}b{int }}{str  c`}{pun ;} {com // note}
{com /* multi}
{com line */} {kw let} re {op =} {lit null}{pun ;}"##,
    ),
    (
        "jsx",
        "const App = () => <div className=\"x\">{count}</div>;",
        r##"{kw const} {ty App} {op =} {pun ()} {op =>} {pun <}{tag div} className{op =}{str "x"}{op >}{pun {}count{pun }</}{tag div}{op >}{pun ;}"##,
    ),
    (
        "ts",
        "interface P { name: string; age?: number }\nfunction f<T>(x: T): void {}",
        r##"{kw interface} P {pun {} name{op :} {ty string}{pun ;} age{op ?:} {ty number} {pun }}
{kw function} f{op <}T{op >}{pun (}x{op :} T{pun )}{op :} {kw void} {pun {}}"##,
    ),
    (
        "tsx",
        "export default function A(): JSX.Element { return <Button onClick={go} />; }",
        r##"{kw export} {kw default} {kw function} {fn A}{pun ()}{op :} {ty JSX}{pun .}{ty Element} {pun {} {kw return} {pun <}{tag Button} onClick{op =}{pun {}go{pun }} {op />}{pun ;} {pun }}"##,
    ),
    (
        "python",
        "@dataclass\nclass A(Base):\n    def f(self, x: int) -> str:\n        return f\"{x:>4}\" if x else None  # c",
        r##"{meta @dataclass}
{kw class} {fn A}{pun (}{ty Base}{pun )}{op :}
    {kw def} {fn f}{pun (}{lit self}{pun ,} x{op :} {ty int}{pun )} {op ->} {ty str}{op :}
        {kw return} {str f"}{int {}x{op :>}{num 4}{int }}{str "} {kw if} x {kw else} {lit None}  {com # c}"##,
    ),
    (
        "rust",
        "#[derive(Debug)]\nimpl<'a> Foo<'a> {\n    pub fn new(s: &'a str) -> Self { Self { s } }\n}",
        r##"{meta #[derive(Debug)]}
{kw impl}{op <}{meta 'a}{op >} {ty Foo}{op <}{meta 'a}{op >} {pun {}
    {kw pub} {kw fn} {fn new}{pun (}s{op :} {op &}{meta 'a} {ty str}{pun )} {op ->} {lit Self} {pun {} {lit Self} {pun {} s {pun }} {pun }}
{pun }}"##,
    ),
    (
        "go",
        "package main\nfunc main() {\n\tfmt.Println(`raw\nstring`, 'x', 42)\n}",
        r##"{kw package} main
{kw func} {fn main}{pun ()} {pun {}
	fmt{pun .}{fn Println}{pun (}{str `raw}
{str string`}{pun ,} {str 'x'}{pun ,} {num 42}{pun )}
{pun }}"##,
    ),
    (
        "java",
        "@Override\npublic static void main(String[] args) { char c = 'a'; System.out.println(\"hi\"); }",
        r##"{meta @Override}
{kw public} {kw static} {ty void} {fn main}{pun (}{ty String}{pun []} args{pun )} {pun {} {ty char} c {op =} {str 'a'}{pun ;} {ty System}{pun .}out{pun .}{fn println}{pun (}{str "hi"}{pun );} {pun }}"##,
    ),
    (
        "kotlin",
        "fun greet(name: String) = println(\"Hello, $name! ${name.length}\")",
        r##"{kw fun} {fn greet}{pun (}name{op :} {ty String}{pun )} {op =} {fn println}{pun (}{str "Hello, }{var $name}{str ! }{int ${}name{pun .}length{int }}{str "}{pun )}"##,
    ),
    (
        "swift",
        "let msg = \"Hi \\(user.name)!\"\nguard let x = y else { return nil }",
        r##"{kw let} msg {op =} {str "Hi }{int \(}user{pun .}name{int )}{str !"}
{kw guard} {kw let} x {op =} y {kw else} {pun {} {kw return} {lit nil} {pun }}"##,
    ),
    (
        "c",
        "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", sizeof(int)); return 0; }",
        r##"{meta #include <stdio.h>}
{ty int} {fn main}{pun (}{ty void}{pun )} {pun {} {fn printf}{pun (}{str "%d}{esc \n}{str "}{pun ,} {kw sizeof}{pun (}{ty int}{pun ));} {kw return} {num 0}{pun ;} {pun }}"##,
    ),
    (
        "cpp",
        "template <typename T> class V : public std::vector<T> { constexpr auto f() noexcept; };",
        r##"{kw template} {op <}{kw typename} T{op >} {kw class} V {op :} {kw public} {ty std}{op ::}{ty vector}{op <}T{op >} {pun {} {kw constexpr} {kw auto} {fn f}{pun ()} {kw noexcept}{pun ;} {pun };}"##,
    ),
    (
        "csharp",
        "var s = $\"Hello {name}!\"; var p = @\"C:\\path\";\n#region X\npublic async Task<int> Run() => await Go();",
        r##"{kw var} s {op =} {str $"Hello }{int {}name{int }}{str !"}{pun ;} {kw var} p {op =} {str @"C:\path"}{pun ;}
{meta #region X}
{kw public} {kw async} {ty Task}{op <}{ty int}{op >} {fn Run}{pun ()} {op =>} {kw await} {fn Go}{pun ();}"##,
    ),
    (
        "ruby",
        "class Greeter < Base\n  def hi(name) = puts \"Hi #{name}\" unless name.nil? # c\nend\n:sym",
        r##"{kw class} {ty Greeter} {op <} {ty Base}
  {kw def} {fn hi}{pun (}name{pun )} {op =} {kw puts} {str "Hi }{int #{}name{int }}{str "} {kw unless} name{pun .}{lit nil}{op ?} {com # c}
{kw end}
{lit :sym}"##,
    ),
    (
        "php",
        "<?php\n$name = 'x'; echo \"Hello $name\"; // c\nfunction f(int $a): ?string { return null; }",
        r##"{op <?}{kw php}
{var $name} {op =} {str 'x'}{pun ;} {kw echo} {str "Hello }{var $name}{str "}{pun ;} {com // c}
{kw function} {fn f}{pun (}{ty int} {var $a}{pun )}{op :} {op ?}{ty string} {pun {} {kw return} {lit null}{pun ;} {pun }}"##,
    ),
    (
        "bash",
        "#!/bin/bash\nfor f in *.txt; do echo \"$f ${HOME}\" 'raw $x'; done # loop",
        r##"{com #!/bin/bash}
{kw for} f {kw in} {op *}{pun .}txt{pun ;} {kw do} {ty echo} {str "}{var $f}{str  }{int ${}HOME{int }}{str "} {str 'raw $x'}{pun ;} {kw done} {com # loop}"##,
    ),
    (
        "powershell",
        "$files = Get-ChildItem -Path . # list\nif ($files.Count -gt 0) { Write-Host \"n: $files\" }\n<# block\n#>",
        r##"{var $files} {op =} {fn Get-ChildItem} {op -}Path {pun .} {com # list}
{kw if} {pun (}{var $files}{pun .}Count {op -}{kw gt} {num 0}{pun )} {pun {} {fn Write-Host} {str "n: }{var $files}{str "} {pun }}
{com <# block}
{com #>}"##,
    ),
    (
        "sql",
        "SELECT id, name FROM users u\nWHERE u.age > 21 AND name LIKE 'a%' -- adults\nORDER BY id DESC;",
        r##"{kw SELECT} id{pun ,} name {kw FROM} users u
{kw WHERE} u{pun .}age {op >} {num 21} {kw AND} name {kw LIKE} {str 'a%'} {com -- adults}
{kw ORDER} {kw BY} id {kw DESC}{pun ;}"##,
    ),
    (
        "json",
        "{\"name\": \"rill\", \"n\": 1.5, \"ok\": true, \"x\": null}",
        r##"{pun {}{attr "name"}{op :} {str "rill"}{pun ,} {attr "n"}{op :} {num 1.5}{pun ,} {attr "ok"}{op :} {lit true}{pun ,} {attr "x"}{op :} {lit null}{pun }}"##,
    ),
    (
        "yaml",
        "# config\nname: rill\nitems:\n  - id: 1\n    on: true\nurl: \"http://x\"",
        r##"{com # config}
{attr name}{op :} rill
{attr items}{op :}
  {pun -} {attr id}{op :} {num 1}
    {attr on}{op :} {lit true}
{attr url}{op :} {str "http://x"}"##,
    ),
    (
        "toml",
        "[package]\nname = \"rill\"  # c\nversion = '0.1.0'\n[[bin]]\ndesc = \"\"\"multi\nline\"\"\"",
        r##"{tag [package]}
{attr name} {op =} {str "rill"}  {com # c}
{attr version} {op =} {str '0.1.0'}
{tag [[bin]]}
{attr desc} {op =} {str """multi}
{str line"""}"##,
    ),
    (
        "ini",
        "; comment\n[core]\neditor = vim\nautocrlf=true",
        r##"{com ; comment}
{tag [core]}
{attr editor} {op =} vim
{attr autocrlf}{op =}{lit true}"##,
    ),
    (
        "html",
        "<!DOCTYPE html>\n<a href=\"/x\" class='y'>Tom &amp; Jerry</a><!-- c\n-->\n<br/>",
        r##"{meta <!DOCTYPE html>}
{pun <}{tag a} {attr href}{op =}{str "/x"} {attr class}{op =}{str 'y'}{pun >}Tom {esc &amp;} Jerry{pun </}{tag a}{pun >}{com <!-- c}
{com -->}
{pun <}{tag br}{pun />}"##,
    ),
    (
        "xml",
        "<?xml version=\"1.0\"?>\n<root attr=\"v\"\n  other=\"w\">text</root>",
        r##"{meta <?xml version="1.0"?>}
{pun <}{tag root} {attr attr}{op =}{str "v"}
  {attr other}{op =}{str "w"}{pun >}text{pun </}{tag root}{pun >}"##,
    ),
    (
        "css",
        "/* c */\n.card > a:hover, #main {\n  color: #fff; margin: 0 4px;\n  background: url(\"x.png\") !important;\n}\n@media (max-width: 600px) { .x { --gap: 2em; } }",
        r##"{com /* c */}
{tag .card} {op >} {tag a}{meta :hover}{pun ,} {tag #main} {pun {}
  {attr color}{op :} {num #fff}{pun ;} {attr margin}{op :} {num 0} {num 4px}{pun ;}
  {attr background}{op :} {fn url}{pun (}{str "x.png"}{pun )} {kw !important}{pun ;}
{pun }}
{kw @media} {pun (}{tag max-width}{op :} {num 600px}{pun )} {pun {} {tag .x} {pun {} {var --gap}{op :} {num 2em}{pun ;} {pun }} {pun }}"##,
    ),
    (
        "scss",
        "$gap: 4px;\n.a { &:hover { color: red; } // c\n  padding: $gap; }",
        r##"{var $gap}{op :} {num 4px}{pun ;}
{tag .a} {pun {} {tag &}{meta :hover} {pun {} {attr color}{op :} red{pun ;} {pun }} {com // c}
  {attr padding}{op :} {var $gap}{pun ;} {pun }}"##,
    ),
    (
        "markdown",
        "# Title\nSome **bold** and `code` [link](http://x).\n- item\n1. one\n```js\nlet a;\n```\n> quote",
        r##"{kw # Title}
Some {op **}bold{op **} and {str `code`} {pun [}link{pun ](}{attr http://x}{pun )}.
{op -} item
{op 1.} one
{meta ```js}
{str let a;}
{meta ```}
{com > quote}"##,
    ),
    (
        "diff",
        "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-old\n+new\n same",
        r##"{meta diff --git a/x b/x}
{meta --- a/x}
{meta +++ b/x}
{meta @@ -1,2 +1,2 @@}
{del -old}
{ins +new}
 same"##,
    ),
    (
        "dockerfile",
        "FROM node:20 AS build\n# c\nRUN npm ci && echo \"$HOME\"\nCOPY . /app",
        r##"{kw FROM} node{op :}{num 20} AS build
{com # c}
{kw RUN} npm ci {op &&} echo {str "$HOME"}
{kw COPY} {pun .} {op /}app"##,
    ),
    (
        "makefile",
        "CC := gcc\nall: main.o\n\t$(CC) -o $@ $^ # link\nifeq ($(OS),x)\nendif",
        r##"{attr CC} {op :=} gcc
{fn all}{op :} main{pun .}o
	{var $(CC)} {op -}o {var $@} {var $^} {com # link}
{kw ifeq} {pun (}{var $(OS)}{pun ,}x{pun )}
{kw endif}"##,
    ),
    (
        "lua",
        "local function f(x) --[[ block\ncomment ]] return x .. [[long\nstring]] end -- c",
        r##"{kw local} {kw function} {fn f}{pun (}x{pun )} {com --[[ block}
{com comment ]]} {kw return} x {pun ..} {str [[long}
{str string]]} {kw end} {com -- c}"##,
    ),
    (
        "r",
        "f <- function(x, na.rm = TRUE) {\n  mean(x) # c\n}",
        r##"f {op <-} {kw function}{pun (}x{pun ,} na{pun .}rm {op =} {lit TRUE}{pun )} {pun {}
  {fn mean}{pun (}x{pun )} {com # c}
{pun }}"##,
    ),
    (
        "scala",
        "case class P(name: String)\nval s = s\"Hi $name ${p.age}\"; val c = 'c'",
        r##"{kw case} {kw class} {fn P}{pun (}name{op :} {ty String}{pun )}
{kw val} s {op =} {str s"Hi }{var $name}{str  }{int ${}p{pun .}age{int }}{str "}{pun ;} {kw val} c {op =} {str 'c'}"##,
    ),
    (
        "haskell",
        "module Main where\nmain :: IO ()\nmain = do { let x' = 1 -- c\n  ; print x' } {- nested {- x -} -}",
        r##"{kw module} {ty Main} {kw where}
main {op ::} {ty IO} {pun ()}
main {op =} {kw do} {pun {} {kw let} x' {op =} {num 1} {com -- c}
  {pun ;} print x' {pun }} {com {- nested {- x -} -}}"##,
    ),
    (
        "elixir",
        "defmodule M do\n  @doc \"x\"\n  def f(x), do: \"v #{x}\" # c\n  :ok\nend",
        r##"{kw defmodule} M {kw do}
  {meta @doc} {str "x"}
  {kw def} {fn f}{pun (}x{pun ),} {kw do}{op :} {str "v }{int #{}x{int }}{str "} {com # c}
  {lit :ok}
{kw end}"##,
    ),
    (
        "dart",
        "void main() {\n  final s = 'Hi $name ${x.y}'; var r = r'raw $x';\n  @override int get n => 1;\n}",
        r##"{ty void} {fn main}{pun ()} {pun {}
  {kw final} s {op =} {str 'Hi }{var $name}{str  }{int ${}x{pun .}y{int }}{str '}{pun ;} {kw var} r {op =} {str r'raw $x'}{pun ;}
  {meta @override} {ty int} {kw get} n {op =>} {num 1}{pun ;}
{pun }}"##,
    ),
];

#[test]
fn each_language_has_its_golden_tokens() {
    for (lang, code, want) in GOLDEN {
        assert_eq!(show(lang, code), *want, "{lang}");
    }
}

#[test]
fn names_and_aliases_find_their_language() {
    for name in [
        "js",
        "JavaScript",
        "jsx",
        "ts",
        "tsx",
        "py",
        "python3",
        "rs",
        "go",
        "golang",
        "java",
        "kt",
        "swift",
        "c",
        "h",
        "cpp",
        "c++",
        "cs",
        "c#",
        "rb",
        "php",
        "sh",
        "zsh",
        "bash",
        "ps1",
        "pwsh",
        "sql",
        "postgres",
        "json",
        "jsonc",
        "yaml",
        "yml",
        "toml",
        "ini",
        "html",
        "xml",
        "svg",
        "css",
        "scss",
        "md",
        "markdown",
        "diff",
        "patch",
        "Dockerfile",
        "makefile",
        "lua",
        "r",
        "scala",
        "hs",
        "haskell",
        "ex",
        "elixir",
        "dart",
    ] {
        assert!(Highlighter::new(name).is_some(), "{name}");
    }
    for name in ["", "brainfuck", "text", "plaintext", "javascriptx"] {
        assert!(Highlighter::new(name).is_none(), "{name}");
    }
    for name in languages() {
        assert!(Highlighter::new(name).is_some(), "{name}");
    }
    // The issue's list: at least 30 languages, counted by canonical name.
    assert!(
        LANGS.len() + MORE.len() >= 30,
        "{}",
        LANGS.len() + MORE.len()
    );
    // Each name belongs to one language only, across both tables.
    let names: Vec<&str> = LANGS
        .iter()
        .chain(MORE)
        .flat_map(|l| l.words().names.split(' '))
        .collect();
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), names.len());
    // The element's two-step lookup finds each language in exactly one of its tables.
    for name in languages() {
        assert!(
            Highlighter::common(name).is_some() != Highlighter::more(name).is_some(),
            "{name}"
        );
    }
}

#[test]
fn state_carries_what_spans_lines() {
    // A nested comment closes only at its own end; the line after is code again.
    assert_eq!(
        show("rust", "/* a /* b */\nstill */ let"),
        "{com /* a /* b */}\n{com still */} {kw let}"
    );
    // A template literal over lines, with an interpolation that holds braces.
    assert_eq!(
        show("js", "`a ${ {x: 1}\n.x } b\nc` d"),
        "{str `a }{int ${} {pun {}x{op :} {num 1}{pun }}\n{pun .}x {int }}{str  b}\n{str c`} d"
    );
    // A one-line string that never closes ends with its line.
    assert_eq!(show("python", "'abc\nx"), "{str 'abc}\nx");
    // A backslash at the end carries it on.
    assert_eq!(show("c", "\"a\\\nb\" c"), "{str \"a}{esc \\}\n{str b\"} c");
    // An HTML tag whose attributes run over lines.
    assert_eq!(
        show("html", "<a\n  href='x\ny'>t"),
        "{pun <}{tag a}\n  {attr href}{op =}{str 'x}\n{str y'}{pun >}t"
    );
    // Raw strings keep their hashes and their backslashes.
    assert_eq!(show("rust", "r#\"a\\\"b\"#"), "{str r#\"a\\\"b\"#}");
}

#[test]
fn script_and_style_in_html_are_read_as_their_languages() {
    assert_eq!(
        show("html", "<script type=\"module\">const a = 1; // x\nlet s = `\n</script> <style>\np { color: red }</STYLE><p>"),
        "{pun <}{tag script} {attr type}{op =}{str \"module\"}{pun >}{kw const} a {op =} {num 1}{pun ;} {com // x}\n\
         {kw let} s {op =} {str `}\n\
         {pun </}{tag script}{pun >} {pun <}{tag style}{pun >}\n\
         {tag p} {pun {} {attr color}{op :} red {pun }</}{tag STYLE}{pun ><}{tag p}{pun >}"
    );
    // A string or comment opened at the end of a line is one from its first character.
    assert_eq!(
        show("c", "x = 1; /*\n*/"),
        "x {op =} {num 1}{pun ;} {com /*}\n{com */}"
    );
    // A self-closing or closing tag opens nothing.
    assert_eq!(
        show("html", "<script/>x</script>y"),
        "{pun <}{tag script}{pun />}x{pun </}{tag script}{pun >}y"
    );
}

#[test]
fn javascript_regular_expressions_are_one_token() {
    assert_eq!(
        show("js", "const re = /https?:\\/\\/[^'\"]+/gi; x = a / b / c;"),
        "{kw const} re {op =} {str /https?:\\/\\/[^'\"]+/gi}{pun ;} x {op =} a {op /} b {op /} c{pun ;}"
    );
    assert_eq!(show("ts", "if (/^\\d+$/.test(s)) f(x) / 2"), "{kw if} {pun (}{str /^\\d+$/}{pun .}{fn test}{pun (}s{pun ))} {fn f}{pun (}x{pun )} {op /} {num 2}");
    assert_eq!(show("js", "return /a/;"), "{kw return} {str /a/}{pun ;}");
}

#[test]
fn currency_and_odd_text_do_not_break_the_line() {
    assert_eq!(
        show("bash", "echo $5 costs 'x"),
        "{ty echo} {var $5} costs {str 'x}"
    );
    assert_eq!(
        show("js", "a = 'é' + \"ü\\ü\""),
        "a {op =} {str 'é'} {op +} {str \"ü}{esc \\ü}{str \"}"
    );
}

mod props {
    use super::super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever the text, in every language: the tokens cover each line exactly, in order,
        /// on character boundaries, and the state never grows an unbounded stack.
        #[test]
        fn tokens_cover_every_line(text in "[ -~\\té€😀\n]{0,200}", which in 0usize..64) {
            let names: Vec<&str> = languages().collect();
            let name = names[which % names.len()];
            let mut h = Highlighter::new(name).unwrap();
            for line in text.split('\n') {
                let mut toks = Vec::new();
                h.line(line, &mut toks);
                let mut from = 0;
                for t in &toks {
                    prop_assert!(t.end > from, "empty or backwards token");
                    prop_assert!(line.is_char_boundary(t.end));
                    from = t.end;
                }
                prop_assert_eq!(from, line.len());
                prop_assert!(h.state.sp as usize <= h.state.stack.len());
            }
        }

        /// Tokenising the open last line on a copy leaves the real state as it was, so a
        /// line drawn while it grows and drawn again once complete ends up the same.
        #[test]
        fn an_open_line_does_not_move_the_state(text in "[ -~\n]{0,120}", cut in 0usize..120, which in 0usize..64) {
            let names: Vec<&str> = languages().collect();
            let name = names[which % names.len()];
            let cut = cut.min(text.len());
            let mut once = Highlighter::new(name).unwrap();
            let mut grown = once;
            let mut a = Vec::new();
            let mut b = Vec::new();
            for line in text.split('\n') {
                let mut peek = grown;
                peek.line(&line[..cut.min(line.len())], &mut Vec::new());
                grown.line(line, &mut b);
                once.line(line, &mut a);
            }
            prop_assert_eq!(a, b);
        }
    }
}

/// The word lists stay in alphabetical order: lookups do not use it, but lists that share
/// words then compress against each other in the shipped wasm (BENCHMARKS.md, tenth pass).
/// A dialect's list is its base's (a macro) followed by its own words: two sorted runs.
#[test]
fn word_lists_are_sorted() {
    let all: Vec<Words> = LANGS.iter().chain(MORE).map(|l| l.words()).collect();
    let lists = |w: &Words| [w.keywords, w.types, w.literals];
    for w in &all {
        for (field, list) in lists(w).into_iter().enumerate() {
            let words: Vec<&str> = list.split_ascii_whitespace().collect();
            let Some(at) = words.windows(2).position(|p| p[0] > p[1]).map(|i| i + 1) else {
                continue;
            };
            // Past the base, the dialect's own words: sorted too.
            let base = words[..at].join(" ");
            let is_base = all.iter().any(|o| lists(o)[field] == base);
            let rest_sorted = words[at..].windows(2).all(|p| p[0] <= p[1]);
            assert!(
                is_base && rest_sorted,
                "{}: keep the list sorted: {list}",
                w.names
            );
        }
    }
}
