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
        "break case catch class const continue default delete do else export extends \
         finally for function if import in instanceof let new of return static super switch this \
         throw try typeof var void while with yield async await from as get set"
    };
}
macro_rules! ts_kw {
    () => {
        concat!(
            js_kw!(),
            " type interface enum implements declare namespace abstract private protected public \
             readonly keyof is satisfies override"
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
        "char double float int long short signed unsigned void bool size_t \
         int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t"
    };
}
macro_rules! js_lit {
    () => {
        "true false null undefined NaN Infinity this"
    };
}
macro_rules! ts_ty {
    () => {
        "string number boolean any unknown never void object symbol bigint"
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
            "and as assert async await break class continue def del elif else except \
                   finally for from global if import in is lambda nonlocal not or pass raise \
                   return try while with yield match case",
            "int float str bool list dict set tuple bytes object type range complex",
            "True False None self cls",
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
            "if then else elif fi for while until do done case esac function in select \
                   return break continue local export readonly declare unset shift source alias \
                   exit eval exec set trap time",
            "echo printf cd pwd read test sudo",
            "true false",
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
            "true false null",
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
            "as async await break const continue crate dyn else enum extern fn for if impl \
                   in let loop match mod move mut pub ref return static struct trait type unsafe \
                   use where while macro_rules",
            "i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 bool char str",
            "true false self Self super None Some Ok Err",
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
            "break case chan const continue default defer else for func go \
                   goto if import interface map package range return select struct switch type var",
            "bool byte error float32 float64 int int8 int16 int32 int64 \
                rune string uint uint8 uint16 uint32 uint64 any",
            "true false nil iota",
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
            "abstract assert break case catch class continue default do else enum \
                   extends final finally for if implements import instanceof interface \
                    new package private protected public return static super \
                   switch this throw try while var record \
                   yield sealed",
            "boolean byte char double float int long short void",
            "true false null",
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
            "as break class continue do else for fun if in interface is object package \
                   return super this throw try val var when while catch \
                   finally get import init set where abstract \
                   const data enum final inline internal \
                   open out override private protected public \
                   sealed suspend",
            "",
            "true false null",
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
            "class enum extension func import init \
                   let open private protocol public static struct \
                    typealias var break case continue default defer do else \
                   for guard if in return switch where while as catch is super throw \
                   throws try async await override \
                   final get set",
            "",
            "true false nil self Self",
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
            "NULL true false",
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
                " catch class constexpr noexcept \
                delete \
             namespace new not operator or private protected public \
             template this throw \
             try typename using virtual override final"
            ),
            concat!(c_ty!(), " std string vector"),
            "true false nullptr NULL",
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
            "abstract as base break case catch class const continue default \
                   do else enum finally for foreach if \
                    in interface internal is namespace new out override \
                    private protected public readonly return \
                   static struct switch this throw try typeof using virtual \
                    while async await var record where yield \
                  ",
            "bool byte char double float int long object short string \
                void",
            "true false null",
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
            "module alias and begin break case class def do else elsif end ensure for if in \
                   next not or rescue return super then unless until when \
                   while yield require require_relative include extend attr_reader \
                   attr_accessor private protected public raise lambda proc puts",
            "",
            "true false nil self",
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
            "abstract and array as break case catch class const continue \
                    default do echo else elseif empty extends final finally fn for foreach \
                   function if implements include include_once instanceof \
                   interface isset match namespace new or private protected public \
                   require require_once return static switch throw try unset use \
                   var while yield php",
            "int float string bool void mixed never object iterable self parent",
            "true false null TRUE FALSE NULL",
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
            "begin break catch class continue do else elseif end enum \
                   exit finally for foreach from function if in param process return \
                   switch throw try until using while and or not eq ne gt ge lt le \
                   like match contains replace is split \
                   join",
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
            "select from where asc desc distinct and or not insert into values update set delete create \
                   table drop alter add column index primary key foreign references join inner \
                   left right outer full cross on as group by order having limit all \
                   case when then else end in is like between default \
                   function return \
                   with over \
                   \
                   ",
            "int integer decimal numeric real float double \
                char varchar text boolean date time timestamp json \
               ",
            "null true false",
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
            "true false null yes no on off True False Null TRUE FALSE NULL",
            "#",
            "",
            ""
        ),
        flags: SQ | DQ | KEYS | SQ_RAW,
        mode: Mode::Yaml,
        ..PLAIN
    },
    Lang {
        spec: spec!("toml", "", "", "true false inf nan", "#", "", ""),
        flags: SQ | DQ | TRIPLES | SQ_RAW | KEYS,
        ..PLAIN
    },
    Lang {
        spec: spec!(
            "ini cfg conf properties dotenv env editorconfig gitconfig",
            "",
            "",
            "true false yes no on off",
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
            "FROM RUN CMD LABEL MAINTAINER EXPOSE ENV ADD COPY ENTRYPOINT VOLUME USER \
                   WORKDIR ARG ONBUILD STOPSIGNAL HEALTHCHECK SHELL",
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
            "ifeq ifneq ifdef ifndef else endif include define endef export unexport \
                   override vpath",
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
            "and break do else elseif end for function goto if in local not or repeat \
                   return then until while",
            "",
            "nil true false self",
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
            "if else repeat while function for in next break return library require",
            "",
            "TRUE FALSE NULL NA Inf NaN NA_integer_ NA_real_ NA_character_",
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
            "abstract case catch class def do else extends final finally for if \
                   implicit import match new object override package private protected \
                   return sealed super this throw trait try type val var while with yield \
                   enum",
            "",
            "true false null",
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
            "module case class data default deriving do else foreign if import in infix infixl \
                   infixr instance let newtype of then type where qualified as hiding \
                   forall family",
            "",
            "True False Nothing Just otherwise",
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
            "alias and case def defp defmodule \
                   do else end fn \
                   for if import in not or raise require rescue try unless \
                   use when with",
            "",
            "true false nil",
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
            "abstract as assert async await break case catch class const continue \
                    default do dynamic else enum extends \
                    final finally for get if implements import in interface \
                   is new of operator return \
                   set static super switch this throw try var when while with \
                   yield",
            "int double num bool void",
            "true false null",
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
