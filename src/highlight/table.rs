//! The languages, one row each: names and aliases, word lists and switches (`langs.rs` says
//! what each means). Adding a language is adding a row; dialects share lists by macro.

use super::langs::*;

macro_rules! spec {
    ($($part:expr),* $(,)?) => {
        concat!($($part, "|"),*)
    };
}
macro_rules! js_kw {
    () => {
        "as async await break case catch class const continue default delete do else \
         export extends finally for from function get if import in instanceof let new of \
         return set static super switch this throw try typeof var void while with yield"
    };
}
macro_rules! ts_kw {
    () => {
        concat!(
            js_kw!(),
            " abstract declare enum implements interface is keyof namespace override private \
             protected public readonly satisfies type"
        )
    };
}
macro_rules! c_kw {
    () => {
        "auto break case const continue default do else enum extern for goto if inline \
         return sizeof static struct switch typedef union volatile while"
    };
}
macro_rules! c_ty {
    () => {
        "bool char double float int int16_t int32_t int64_t int8_t long short signed \
         size_t uint16_t uint32_t uint64_t uint8_t unsigned void"
    };
}
macro_rules! js_lit {
    () => {
        "Infinity NaN false null this true undefined"
    };
}
macro_rules! ts_ty {
    () => {
        "any bigint boolean never number object string symbol unknown void"
    };
}

const PLAIN: Lang = Lang {
    spec: "",
    flags: 0,
    interp: I_NONE,
    interp_on: 0,
    mode: Mode::Code,
};

/// The languages in the first module: those of most code blocks in chat answers. HTML and
/// CSS are in `MORE` with the markup lexers, which only they use.
const JS: Lang = Lang {
    spec: spec!(
        "javascript js mjs cjs node jsx",
        js_kw!(),
        "",
        js_lit!(),
        "//",
        "/* */",
        ""
    ),
    flags: SQ | DQ | BT | CAPS | AT_META | REGEX,
    interp: I_DOLLAR_BRACE,
    interp_on: Q_BT,
    ..PLAIN
};

pub static LANGS: &[Lang] = &[
    JS,
    // TypeScript is JavaScript with more words.
    Lang {
        spec: spec!(
            "typescript ts mts cts tsx",
            ts_kw!(),
            ts_ty!(),
            js_lit!(),
            "//",
            "/* */",
            ""
        ),
        ..JS
    },
    Lang {
        spec: spec!(
            "python py python3 py3",
            "and as assert async await break case class continue def del elif else except \
                  finally for from global if import in is lambda match nonlocal not or pass raise \
                  return try while with yield",
            "bool bytes complex dict float int list object range set str tuple type",
            "False None True cls self",
            "#",
            "",
            "rbfu"
        ),
        flags: SQ | DQ | TRIPLES | AT_META | CAPS,
        interp: I_BRACE,
        interp_on: Q_PREFIX,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "bash sh zsh shell shellscript console",
            "alias break case continue declare do done elif else esac eval exec exit export \
                  fi for function if in local readonly return select set shift source then time \
                  trap unset until while",
            "cd echo printf pwd read sudo test",
            "false true",
            "#",
            "",
            ""
        ),
        flags: SQ | DQ | SQ_RAW | DOLLAR_VARS | ML_STRINGS | DASHES,
        interp: I_DOLLAR,
        interp_on: Q_DQ,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "json jsonc json5",
            "",
            "",
            "false null true",
            "//",
            "/* */",
            ""
        ),
        flags: DQ | STR_KEYS,
        ..PLAIN
    },
];

/// The others: in the element they come with their own split module, fetched the first time
/// a code block names a language not in `LANGS` (`widget/code.rs`).
pub static MORE: &[Lang] = &[
    Lang {
        spec: spec!(
            "html xml htm xhtml svg vue svelte",
            "",
            "",
            "",
            "",
            "<!-- -->",
            ""
        ),
        flags: ML_STRINGS,
        mode: Mode::Markup,
        ..PLAIN
    },
    Lang {
        spec: spec!("css", "important", "", "", "", "/* */", ""),
        flags: SQ | DQ | DASHES,
        mode: Mode::Css,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "rust rs",
            "as async await break const continue crate dyn else enum extern fn for if impl in \
                  let loop macro_rules match mod move mut pub ref return static struct trait type \
                  unsafe use where while",
            "bool char f32 f64 i128 i16 i32 i64 i8 isize str u128 u16 u32 u64 u8 usize",
            "Err None Ok Self Some false self super true",
            "//",
            "/* */",
            "rb"
        ),
        flags: DQ | CHARS | LIFETIMES | CAPS | NEST | ML_STRINGS | RAW_HASHES | HASH_META,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "go golang",
            "break case chan const continue default defer else for func go goto if import \
                  interface map package range return select struct switch type var",
            "any bool byte error float32 float64 int int16 int32 int64 int8 rune string uint \
                  uint16 uint32 uint64 uint8",
            "false iota nil true",
            "//",
            "/* */",
            ""
        ),
        flags: DQ | BT | BT_RAW | CHARS,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "java",
            "abstract assert break case catch class continue default do else enum extends \
                  final finally for if implements import instanceof interface new package private \
                  protected public record return sealed static super switch this throw try var \
                  while yield",
            "boolean byte char double float int long short void",
            "false null true",
            "//",
            "/* */",
            ""
        ),
        flags: DQ | TRIPLES | CHARS | CAPS | AT_META,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "kotlin kt kts",
            "abstract as break catch class const continue data do else enum final finally for \
                  fun get if import in init inline interface internal is object open out override \
                  package private protected public return sealed set super suspend this throw try \
                  val var when where while",
            "",
            "false null true",
            "//",
            "/* */",
            ""
        ),
        flags: DQ | TRIPLES | CHARS | CAPS | AT_META | NEST,
        interp: I_DOLLAR,
        interp_on: Q_DQ,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "swift",
            "as async await break case catch class continue default defer do else enum \
                  extension final for func get guard if import in init is let open override \
                  private protocol public return set static struct super switch throw throws try \
                  typealias var where while",
            "",
            "Self false nil self true",
            "//",
            "/* */",
            ""
        ),
        flags: DQ | TRIPLES | CAPS | AT_META | NEST,
        interp: I_PAREN,
        interp_on: Q_DQ,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "c h",
            c_kw!(),
            c_ty!(),
            "NULL false true",
            "//",
            "/* */",
            ""
        ),
        flags: DQ | CHARS | HASH_META,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "cpp c++ cc cxx hpp hh hxx",
            concat!(
                c_kw!(),
                " catch class constexpr delete final namespace new noexcept not operator or \
                  override private protected public template this throw try typename using virtual"
            ),
            concat!(c_ty!(), " std string vector"),
            "NULL false nullptr true",
            "//",
            "/* */",
            ""
        ),
        flags: DQ | CHARS | HASH_META,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "csharp cs c#",
            "abstract as async await base break case catch class const continue default do \
                  else enum finally for foreach if in interface internal is namespace new out \
                  override private protected public readonly record return static struct switch \
                  this throw try typeof using var virtual where while yield ",
            "bool byte char double float int long object short string void",
            "false null true",
            "//",
            "/* */",
            "$@"
        ),
        flags: DQ | CHARS | CAPS | HASH_META,
        interp: I_BRACE,
        interp_on: Q_PREFIX,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "ruby rb rake gemspec",
            "alias and attr_accessor attr_reader begin break case class def do else elsif end \
                  ensure extend for if in include lambda module next not or private proc protected \
                  public puts raise require require_relative rescue return super then unless until \
                  when while yield",
            "",
            "false nil self true",
            "#",
            "",
            ""
        ),
        flags: SQ | DQ | CAPS | SYMBOLS | AT_META | DOLLAR_VARS | ML_STRINGS,
        interp: I_HASH,
        interp_on: Q_DQ,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "php",
            "abstract and array as break case catch class const continue default do echo else \
                  elseif empty extends final finally fn for foreach function if implements include \
                  include_once instanceof interface isset match namespace new or php private \
                  protected public require require_once return static switch throw try unset use \
                  var while yield",
            "bool float int iterable mixed never object parent self string void",
            "FALSE NULL TRUE false null true",
            "// #",
            "/* */",
            ""
        ),
        flags: SQ | DQ | SQ_RAW | DOLLAR_VARS | CAPS | ML_STRINGS,
        interp: I_DOLLAR,
        interp_on: Q_DQ,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "powershell ps1 ps pwsh",
            "and begin break catch class contains continue do else elseif end enum eq exit \
                  finally for foreach from function ge gt if in is join le like lt match ne not or \
                  param process replace return split switch throw try until using while",
            "",
            "",
            "#",
            "<# #>",
            ""
        ),
        flags: SQ | DQ | SQ_RAW | DOLLAR_VARS | NOCASE | DASHES | ML_STRINGS,
        interp: I_DOLLAR,
        interp_on: Q_DQ,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "sql mysql postgres postgresql sqlite plsql tsql",
            "add all alter and as asc between by case column create cross default delete desc \
                  distinct drop else end foreign from full function group having in index inner \
                  insert into is join key left like limit not on or order outer over primary \
                  references return right select set table then update values when where with ",
            "boolean char date decimal double float int integer json numeric real text time \
                  timestamp varchar ",
            "false null true",
            "--",
            "/* */",
            ""
        ),
        flags: SQ | DQ | SQ_RAW | NOCASE | ML_STRINGS,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "yaml yml",
            "",
            "",
            "FALSE False NULL Null TRUE True false no null off on true yes",
            "#",
            "",
            ""
        ),
        flags: SQ | DQ | KEYS | SQ_RAW,
        mode: Mode::Yaml,
        ..PLAIN
    },
    Lang {
        spec: spec!("toml", "", "", "false inf nan true", "#", "", ""),
        flags: SQ | DQ | TRIPLES | SQ_RAW | KEYS,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "ini cfg conf properties dotenv env editorconfig gitconfig",
            "",
            "",
            "false no off on true yes",
            "; #",
            "",
            ""
        ),
        flags: SQ | DQ | KEYS,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "scss sass less stylus",
            "important",
            "",
            "",
            "//",
            "/* */",
            ""
        ),
        flags: SQ | DQ | DASHES | DOLLAR_VARS,
        mode: Mode::Css,
        ..PLAIN
    },
    Lang {
        spec: spec!("markdown md mdx", "", "", "", "", "", ""),
        flags: 0,
        mode: Mode::Markdown,
        ..PLAIN
    },
    Lang {
        spec: spec!("diff patch", "", "", "", "", "", ""),
        flags: 0,
        mode: Mode::Diff,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "dockerfile docker containerfile",
            "ADD ARG CMD COPY ENTRYPOINT ENV EXPOSE FROM HEALTHCHECK LABEL MAINTAINER ONBUILD \
                  RUN SHELL STOPSIGNAL USER VOLUME WORKDIR",
            "",
            "",
            "#",
            "",
            ""
        ),
        flags: SQ | DQ | NOCASE | LINE_KW | DOLLAR_VARS,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "makefile make mk",
            "define else endef endif export ifdef ifeq ifndef ifneq include override unexport \
                  vpath",
            "",
            "",
            "#",
            "",
            ""
        ),
        flags: SQ | DQ | KEYS | LINE_KW | DOLLAR_VARS,
        mode: Mode::Make,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "lua",
            "and break do else elseif end for function goto if in local not or repeat return \
                  then until while",
            "",
            "false nil self true",
            "--",
            "--[[ ]] [[ ]]",
            ""
        ),
        flags: SQ | DQ,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "r rscript",
            "break else for function if in library next repeat require return while",
            "",
            "FALSE Inf NA NA_character_ NA_integer_ NA_real_ NULL NaN TRUE",
            "#",
            "",
            ""
        ),
        flags: SQ | DQ | ML_STRINGS,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "scala sc sbt",
            "abstract case catch class def do else enum extends final finally for if implicit \
                  import match new object override package private protected return sealed super \
                  this throw trait try type val var while with yield",
            "",
            "false null true",
            "//",
            "/* */",
            "sf"
        ),
        flags: DQ | TRIPLES | CHARS | CAPS | AT_META | NEST,
        interp: I_DOLLAR,
        interp_on: Q_PREFIX,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "haskell hs",
            "as case class data default deriving do else family forall foreign hiding if \
                  import in infix infixl infixr instance let module newtype of qualified then type \
                  where",
            "",
            "False Just Nothing True otherwise",
            "--",
            "{- -}",
            ""
        ),
        flags: DQ | CHARS | PRIMES | CAPS | NEST,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "elixir ex exs",
            "alias and case def defmodule defp do else end fn for if import in not or raise \
                  require rescue try unless use when with",
            "",
            "false nil true",
            "#",
            "",
            ""
        ),
        flags: SQ | DQ | TRIPLES | SYMBOLS | CAPS | AT_META | ML_STRINGS,
        interp: I_HASH,
        interp_on: Q_DQ | Q_SQ,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "dart",
            "abstract as assert async await break case catch class const continue default do \
                  dynamic else enum extends final finally for get if implements import in \
                  interface is new of operator return set static super switch this throw try var \
                  when while with yield",
            "bool double int num void",
            "false null true",
            "//",
            "/* */",
            "r"
        ),
        flags: SQ | DQ | TRIPLES | CAPS | AT_META | NEST,
        interp: I_DOLLAR,
        interp_on: Q_DQ | Q_SQ,
        ..PLAIN
    },
];
