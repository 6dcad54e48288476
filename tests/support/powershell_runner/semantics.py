"""PowerShell's value semantics: conversions, truth, operators, members and methods.

Modelled on PowerShell 7.4 (the Az 16 modules run on 7.2+ or Windows PowerShell 5.1;
where 5.1 differs and it matters, a comment says so). Everything not listed here is
Unmodelled: the caller passes `where` ("path:line") so the message names the place.

Topics: about_Booleans, about_Comparison_Operators, about_Arithmetic_Operators,
about_Assignment_Operators, about_Member-Access_Enumeration, about_Intrinsic_Members,
about_Properties, about_Methods, about_Regular_Expressions, about_Operators (-f, index),
about_Type_Conversion (LanguagePrimitives), about_Strict_Mode (Set-StrictMode).
"""

import re

from .errors import PSError, Unmodelled
from .values import Hashtable, PSObject, enumerate_value

PSCUSTOM = "System.Management.Automation.PSCustomObject"


# -- values the interpreter adds to values.py's model -----------------------------------------

class ScriptBlock:
    """`{ ... }`: the script_block node (None when empty), its source text, its parameters
    (a list of ParamSpec, from `param()` or a function's `(...)` declaration)."""

    def __init__(self, node, text, params=(), path="script.ps1"):
        self.node = node
        self.text = text
        self.params = list(params)
        self.path = path

    def __repr__(self):
        return "{" + self.text + "}"


class ParamSpec:
    def __init__(self, name, type_name=None, default=None):
        self.name = name            # as written, without '$'
        self.type_name = type_name  # lower-case type name or None
        self.default = default      # the default's node, or None


class TypeValue:
    """A type literal (`[string]`, `[StringComparison]`)."""

    def __init__(self, written):
        self.written = written
        self.full = resolve_type_name(written)

    def __repr__(self):
        return "[" + self.written + "]"


class ErrorRecord(PSObject):
    """`$_` in a catch block (about_Try_Catch_Finally, about_Automatic_Variables): an
    ErrorRecord whose string form is the exception's message."""

    def __init__(self, err):
        chain = exception_chain(err.exception_type)
        message = err.message
        exc = PSObject([("Message", message), ("InnerException", None), ("Data", Hashtable()),
                        ("Source", None), ("HResult", -2146233087)],
                       type_names=chain,
                       methods={"tostring": lambda args: chain[0] + ": " + message})
        category = PSObject([("Category", err.category), ("Activity", ""),
                             ("Reason", err.exception_type.split(".")[-1]),
                             ("TargetName", ""), ("TargetType", "")],
                            type_names=("System.Management.Automation.ErrorCategoryInfo",))
        super().__init__([("Exception", exc), ("TargetObject", err.target), ("CategoryInfo", category),
                          ("FullyQualifiedErrorId", err.error_id or message), ("ErrorDetails", None),
                          ("ScriptStackTrace", "")],
                         type_names=("System.Management.Automation.ErrorRecord", "System.Object"),
                         methods={"tostring": lambda args: message})
        self.error = err


class JsonDate(str):
    """A string ConvertFrom-Json reads as a DateTime (PowerShell 7's Newtonsoft reader parses
    ISO 8601 dates). Kept as its text; any use that would see the DateTime is Unmodelled."""


class MemberCollection(list):
    """`.PSObject.Properties`: a list that can also be indexed by a member's name."""


# -- type names (about_Type_Accelerators) -----------------------------------------------------

ACCELERATORS = {
    "string": "System.String", "int": "System.Int32", "int32": "System.Int32",
    "long": "System.Int64", "int64": "System.Int64", "double": "System.Double",
    "bool": "System.Boolean", "boolean": "System.Boolean", "array": "System.Array",
    "object[]": "System.Object[]", "object": "System.Object", "hashtable": "System.Collections.Hashtable",
    "ordered": "System.Collections.Specialized.OrderedDictionary",
    "pscustomobject": PSCUSTOM, "psobject": "System.Management.Automation.PSObject",
    "scriptblock": "System.Management.Automation.ScriptBlock",
    "switch": "System.Management.Automation.SwitchParameter", "void": "System.Void",
    "stringcomparison": "System.StringComparison", "exception": "System.Exception",
    "errorrecord": "System.Management.Automation.ErrorRecord",
}


def resolve_type_name(written):
    low = written.strip().lower()
    if low in ACCELERATORS:
        return ACCELERATORS[low]
    if low.startswith("system.") and low[7:] in ACCELERATORS and low[7:] not in ("array", "object"):
        return ACCELERATORS[low[7:]]
    # PowerShell also tries a name with "System." in front (about_Type_Accelerators).
    for full in ACCELERATORS.values():
        if full.lower() == low or full.lower() == "system." + low:
            return full
    return written.strip()


# Exception types the runner knows, each with its base type, for `catch [Base]`.
# Az models may add theirs (the key is lower-case).
EXCEPTION_BASES = {
    "system.exception": None,
    "system.systemexception": "System.Exception",
    "system.management.automation.runtimeexception": "System.SystemException",
    "system.management.automation.extendedtypesystemexception": "System.Management.Automation.RuntimeException",
    "system.management.automation.propertynotfoundexception": "System.Management.Automation.ExtendedTypeSystemException",
    "system.management.automation.methodexception": "System.Management.Automation.ExtendedTypeSystemException",
    "system.management.automation.methodinvocationexception": "System.Management.Automation.MethodException",
    "system.management.automation.parameterbindingexception": "System.Management.Automation.RuntimeException",
    "system.management.automation.itemnotfoundexception": "System.Management.Automation.SessionStateException",
    "system.management.automation.sessionstateexception": "System.Management.Automation.RuntimeException",
    "system.invalidcastexception": "System.SystemException",
    "system.management.automation.psinvalidcastexception": "System.InvalidCastException",
    "system.argumentexception": "System.SystemException",
    "system.invalidoperationexception": "System.SystemException",
    "system.indexoutofrangeexception": "System.SystemException",
    "system.dividebyzeroexception": "System.ArithmeticException",
    "system.arithmeticexception": "System.SystemException",
    "microsoft.powershell.commands.writeerrorexception": "System.SystemException",
    "microsoft.rest.azure.cloudexception": "Microsoft.Rest.RestException",
    "microsoft.rest.restexception": "System.Exception",
}


def exception_chain(type_name):
    """The exception's type and its base types, most specific first."""
    chain, t = [], type_name
    while t and t.lower() not in [c.lower() for c in chain]:
        chain.append(t)
        t = EXCEPTION_BASES.get(t.lower(), "System.Exception" if t.lower() != "system.exception" else None)
    return chain


def error(message, error_id, category, exception_type="System.Management.Automation.RuntimeException"):
    return PSError(message, error_id=error_id, category=category, exception_type=exception_type, terminating=True)


# -- string conversion (LanguagePrimitives.ConvertTo<string>) ---------------------------------

def fmt_double(f):
    """.NET Core 3.0+ Double.ToString(): the shortest round-trip form, "1" for 1.0, "1E+20"."""
    if f != f:
        return "NaN"
    if f in (float("inf"), float("-inf")):
        return "Infinity" if f > 0 else "-Infinity"
    if f.is_integer() and abs(f) < 1e15:
        return str(int(f))
    r = repr(f)
    if "e" in r:
        mant, exp = r.split("e")
        sign = "-" if exp.startswith("-") else "+"
        return "{}E{}{:02d}".format(mant, sign, abs(int(exp)))
    return r


def to_string(v, where=""):
    if v is None:
        return ""
    if isinstance(v, JsonDate):
        raise Unmodelled("{}: a DateTime read by ConvertFrom-Json ({!r}) used as a string".format(where, str(v)))
    if isinstance(v, bool):
        return "True" if v else "False"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return fmt_double(v)
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        # $OFS, a space by default (about_Preference_Variables)
        return " ".join(to_string(e, where) for e in v)
    if isinstance(v, Hashtable):
        return "System.Collections.Specialized.OrderedDictionary" if v.ordered else "System.Collections.Hashtable"
    if isinstance(v, PSObject):
        if "tostring" in v.methods:
            return to_string(v.methods["tostring"]([]), where)
        if v.type_names and v.type_names[0] == PSCUSTOM or v.type_names[0].startswith("Selected."):
            # a PSCustomObject in a string: "@{a=1; b=2}"
            return "@{" + "; ".join("{}={}".format(k, to_string(x, where)) for k, x in v.items()) + "}"
        return v.type_names[0]
    if isinstance(v, ScriptBlock):
        return v.text
    if isinstance(v, TypeValue):
        return v.full
    raise Unmodelled("{}: string form of {!r}".format(where, v))


def truthy(v, where=""):
    """about_Booleans."""
    if v is None:
        return False
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v != 0
    if isinstance(v, str):
        return len(v) > 0
    if isinstance(v, list):
        if len(v) == 0:
            return False
        if len(v) == 1:
            return truthy(v[0], where)
        return True
    return True


# -- numbers ----------------------------------------------------------------------------------

_INT_RE = re.compile(r"^[+-]?\d+$")
_HEX_RE = re.compile(r"^[+-]?0x[0-9a-f]+$", re.I)
_REAL_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$", re.I)


def cannot_convert(v, type_name, where, detail=None):
    text = to_string(v, where) if isinstance(v, (str, int, float, bool)) else type_name_of(v)
    msg = 'Cannot convert value "{}" to type "{}".'.format(text, type_name)
    if detail:
        msg += ' Error: "{}"'.format(detail)
    return error(msg, "InvalidCastFromStringToInteger" if isinstance(v, str) else "InvalidCast",
                 "InvalidArgument", "System.Management.Automation.PSInvalidCastException")


def to_number(v, where="", type_name="System.Int32"):
    """A value as an operand of arithmetic: int or float."""
    if v is None:
        return 0
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        s = v.strip()
        if s == "":
            return 0
        if _INT_RE.match(s):
            return int(s)
        if _HEX_RE.match(s):
            return int(s, 16)
        if _REAL_RE.match(s):
            return float(s)
        raise cannot_convert(v, type_name, where, "The input string '{}' was not in a correct format.".format(v))
    if isinstance(v, list) and len(v) == 1:
        return to_number(v[0], where, type_name)
    raise Unmodelled("{}: {} as a number".format(where, type_name_of(v)))


def to_int(v, where=""):
    """[int]: a double is rounded half to even (Convert.ToInt32)."""
    n = to_number(v, where)
    if isinstance(n, float):
        n = int(round(n))
    if not -2 ** 31 <= n < 2 ** 31:
        raise cannot_convert(v, "System.Int32", where, "Value was either too large or too small for an Int32.")
    return n


def type_name_of(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "System.Boolean"
    if isinstance(v, int):
        return "System.Int32" if -2 ** 31 <= v < 2 ** 31 else "System.Int64"
    if isinstance(v, float):
        return "System.Double"
    if isinstance(v, str):
        return "System.String"
    if isinstance(v, list):
        return "System.Object[]"
    if isinstance(v, Hashtable):
        return "System.Collections.Specialized.OrderedDictionary" if v.ordered else "System.Collections.Hashtable"
    if isinstance(v, PSObject):
        return v.type_names[0]
    if isinstance(v, ScriptBlock):
        return "System.Management.Automation.ScriptBlock"
    if isinstance(v, TypeValue):
        return "System.RuntimeType"
    return type(v).__name__


# -- types: -is, -as, casts -------------------------------------------------------------------

def is_type(v, t, where=""):
    full = t.full
    low = full.lower()
    if low == "system.object":
        return v is not None
    if low in ("system.management.automation.psobject", PSCUSTOM.lower()):
        # [pscustomobject] as a type means [psobject]: every PSObject-wrapped object
        return isinstance(v, PSObject)
    if low == "system.string":
        return isinstance(v, str) and not isinstance(v, JsonDate)
    if low == "system.int32":
        return isinstance(v, int) and not isinstance(v, bool) and -2 ** 31 <= v < 2 ** 31
    if low == "system.int64":
        return isinstance(v, int) and not isinstance(v, bool) and not -2 ** 31 <= v < 2 ** 31
    if low == "system.double":
        return isinstance(v, float)
    if low == "system.boolean":
        return isinstance(v, bool)
    if low in ("system.array", "system.object[]"):
        return isinstance(v, list)
    if low == "system.collections.hashtable":
        return isinstance(v, Hashtable) and not v.ordered
    if low == "system.collections.specialized.ordereddictionary":
        return isinstance(v, Hashtable) and v.ordered
    if low == "system.management.automation.scriptblock":
        return isinstance(v, ScriptBlock)
    if isinstance(v, PSObject):
        return low in [n.lower() for n in v.type_names]
    if v is None or isinstance(v, (bool, int, float, str, list, Hashtable, ScriptBlock)):
        return False
    raise Unmodelled("{}: -is [{}] on {}".format(where, t.written, type_name_of(v)))


def convert(v, t, where=""):
    """A cast `[T]$v` (and -as, and typed parameters). Raises PSError when PowerShell would."""
    low = t.full.lower()
    if low == "system.string":
        return None if False else to_string(v, where)
    if low == "system.int32" or low == "system.int64":
        if isinstance(v, list) and len(v) != 1:
            raise cannot_convert(v, t.full, where)
        return to_int(v, where) if low == "system.int32" else int(round(to_number(v, where)))
    if low == "system.double":
        return float(to_number(v, where, "System.Double"))
    if low == "system.boolean":
        return truthy(v, where)
    if low in ("system.array", "system.object[]"):
        if v is None:
            return None
        return list(v) if isinstance(v, list) else [v]
    if low == "system.collections.hashtable":
        if isinstance(v, Hashtable):
            return v
        raise Unmodelled("{}: [hashtable] of {}".format(where, type_name_of(v)))
    if low == PSCUSTOM.lower():
        if isinstance(v, Hashtable):
            return PSObject(v.items())
        return v
    if low in ("system.object", "system.management.automation.psobject"):
        return v
    if low == "system.management.automation.scriptblock":
        if isinstance(v, ScriptBlock):
            return v
        raise cannot_convert(v, t.full, where)
    if low == "system.management.automation.switchparameter":
        return truthy(v, where)
    if low == "system.void":
        return None
    raise Unmodelled("{}: cast to [{}]".format(where, t.written))


# -- comparison (about_Comparison_Operators) --------------------------------------------------

def _ci(s, cs):
    return s if cs else s.lower()


def eq(a, b, cs=False, where=""):
    """`a -eq b` for a scalar a: the right operand is converted to the left's type."""
    if a is None:
        return b is None
    if b is None:
        return False
    if isinstance(a, JsonDate) or isinstance(b, JsonDate):
        raise Unmodelled("{}: comparing a DateTime read by ConvertFrom-Json".format(where))
    if isinstance(a, str):
        if isinstance(b, (PSObject, Hashtable, ScriptBlock)):
            return False
        return _ci(a, cs) == _ci(to_string(b, where), cs)
    if isinstance(a, bool):
        return a == truthy(b, where)
    if isinstance(a, (int, float)):
        try:
            return a == to_number(b, where)
        except PSError:
            return False
        except Unmodelled:
            return False
    if isinstance(a, TypeValue):
        return isinstance(b, TypeValue) and a.full.lower() == b.full.lower()
    return a is b


def order(a, b, cs=False, where=""):
    """-1/0/1 for -lt/-gt: numbers numerically, strings by (case-insensitive) comparison.
    PowerShell compares strings with the current culture; modelled as ordinal on lower case."""
    if a is None and b is None:
        return 0
    if a is None:
        return -1
    if b is None:
        return 1
    if isinstance(a, str) and not isinstance(a, JsonDate):
        x, y = _ci(a, cs), _ci(to_string(b, where), cs)
        return (x > y) - (x < y)
    if isinstance(a, (bool, int, float)):
        x, y = to_number(a, where), to_number(b, where)
        return (x > y) - (x < y)
    raise Unmodelled("{}: ordering comparison of {}".format(where, type_name_of(a)))


def wildcard_regex(pattern, cs):
    """about_Wildcards: * ? [abc] [a-z], ` escapes."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "`" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if c == "*":
            out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "[":
            j = pattern.find("]", i + 1)
            if j < 0:
                raise Unmodelled("wildcard pattern {!r}".format(pattern))
            body = pattern[i + 1:j]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = j
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z", re.S | (0 if cs else re.I))


def dotnet_regex(pattern, cs, where=""):
    """A .NET regular expression as a Python one: the common syntax is the same; named groups
    are translated; constructs whose meaning differs are Unmodelled."""
    out, i, n = [], 0, len(pattern)
    in_class = False
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            d = pattern[i + 1]
            if d in "pPGZ" or (d == "k" and not in_class):
                if d == "k" and i + 2 < n and pattern[i + 2] == "<":
                    j = pattern.find(">", i)
                    out.append("(?P=" + pattern[i + 3:j] + ")")
                    i = j + 1
                    continue
                raise Unmodelled("{}: .NET regex construct \\{} in {!r}".format(where, d, pattern))
            out.append("\\Z" if d == "z" else c + d)
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
            elif c == "-" and i + 1 < n and pattern[i + 1] == "[":
                raise Unmodelled("{}: .NET character class subtraction in {!r}".format(where, pattern))
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            if i + 1 < n and pattern[i + 1] == "]":
                out.append("\\]")
                i += 1
            i += 1
            continue
        if pattern.startswith("(?<", i) and i + 3 < n and pattern[i + 3] not in "=!":
            out.append("(?P<")
            i += 3
            continue
        if pattern.startswith("(?'", i):
            raise Unmodelled("{}: .NET regex (?'name') in {!r}".format(where, pattern))
        out.append(c)
        i += 1
    try:
        return re.compile("".join(out), 0 if cs else re.I)
    except re.error as e:
        raise Unmodelled("{}: regular expression {!r} ({})".format(where, pattern, e))


def dotnet_replacement(template, m):
    """A .NET replacement string ($1, ${name}, $&, $$) applied to a match."""
    out, i, n = [], 0, len(template)
    while i < n:
        c = template[i]
        if c == "$" and i + 1 < n:
            d = template[i + 1]
            if d == "$":
                out.append("$")
                i += 2
                continue
            if d == "&":
                out.append(m.group(0))
                i += 2
                continue
            if d.isdigit():
                j = i + 1
                while j < n and template[j].isdigit():
                    j += 1
                k = int(template[i + 1:j])
                if k <= (m.re.groups or 0):
                    out.append(m.group(k) or "")
                    i = j
                    continue
            if d == "{":
                j = template.find("}", i)
                if j > 0:
                    name = template[i + 2:j]
                    try:
                        out.append(m.group(int(name) if name.isdigit() else name) or "")
                        i = j + 1
                        continue
                    except (IndexError, error_types()):
                        pass
            if d in "`'+_":
                raise Unmodelled("replacement ${} in {!r}".format(d, template))
        out.append(c)
        i += 1
    return "".join(out)


def error_types():
    return re.error


def parse_op(op):
    """'-ceq' -> ('eq', True); '-ieq' / '-eq' -> ('eq', False)."""
    o = op.lower().lstrip("-")
    base = {"eq", "ne", "gt", "ge", "lt", "le", "like", "notlike", "match", "notmatch", "contains",
            "notcontains", "in", "notin", "replace", "split", "is", "isnot", "as", "join"}
    if o in base:
        return o, False
    if o[:1] in ("c", "i") and o[1:] in base:
        return o[1:], o[0] == "c"
    return o, None


def compare(op, a, b, where="", set_matches=None):
    """A binary comparison, containment, matching, replacement, split or type operator."""
    name, cs = parse_op(op)
    if cs is None:
        raise Unmodelled("{}: operator {}".format(where, op))
    if name in ("is", "isnot"):
        if not isinstance(b, TypeValue):
            raise Unmodelled("{}: {} with a non-type right operand".format(where, op))
        r = is_type(a, b, where)
        return r if name == "is" else not r
    if name == "as":
        if not isinstance(b, TypeValue):
            raise Unmodelled("{}: -as with a non-type right operand".format(where))
        try:
            return convert(a, b, where)
        except PSError:
            return None
    if name in ("contains", "notcontains"):
        coll = a if isinstance(a, list) else [a]
        r = any(eq(e, b, cs, where) for e in coll)
        return r if name == "contains" else not r
    if name in ("in", "notin"):
        coll = b if isinstance(b, list) else [b]
        r = any(eq(e, a, cs, where) for e in coll)
        return r if name == "in" else not r
    if name == "replace":
        if isinstance(b, list):
            if len(b) == 1:
                pat, rep = b[0], ""
            elif len(b) == 2:
                pat, rep = b
            else:
                raise Unmodelled("{}: -replace with {} operands".format(where, len(b)))
        else:
            pat, rep = b, ""
        if isinstance(rep, ScriptBlock):
            raise Unmodelled("{}: -replace with a script block".format(where))
        rx = dotnet_regex(to_string(pat, where), cs, where)
        reps = to_string(rep, where)

        def one(s):
            return rx.sub(lambda m: dotnet_replacement(reps, m), to_string(s, where))
        return [one(e) for e in a] if isinstance(a, list) else one(a)
    if name == "split":
        pat, limit = (b[0], b[1]) if isinstance(b, list) and len(b) == 2 else (b, 0)
        if isinstance(b, list) and len(b) > 2:
            raise Unmodelled("{}: -split options".format(where))
        if isinstance(pat, ScriptBlock):
            raise Unmodelled("{}: -split with a script block".format(where))
        rx = dotnet_regex(to_string(pat, where), cs, where)
        limit = to_int(limit, where)
        res = []
        for s in (a if isinstance(a, list) else [a]):
            res.extend(rx.split(to_string(s, where), maxsplit=max(limit - 1, 0)))
        return [x if x is not None else "" for x in res]
    if name == "join":
        return to_string(b, where).join(to_string(e, where) for e in enumerate_value(a))

    def test(x):
        if name == "eq":
            return eq(x, b, cs, where)
        if name == "ne":
            return not eq(x, b, cs, where)
        if name in ("gt", "ge", "lt", "le"):
            r = order(x, b, cs, where)
            return {"gt": r > 0, "ge": r >= 0, "lt": r < 0, "le": r <= 0}[name]
        if name in ("like", "notlike"):
            r = wildcard_regex(to_string(b, where), cs).match(to_string(x, where)) is not None
            return r if name == "like" else not r
        if name in ("match", "notmatch"):
            m = dotnet_regex(to_string(b, where), cs, where).search(to_string(x, where))
            return (m is not None) if name == "match" else (m is None)
        raise Unmodelled("{}: operator {}".format(where, op))

    if isinstance(a, list):
        # about_Comparison_Operators: with a collection on the left, the operator filters it
        return [x for x in a if test(x)]
    if name in ("match", "notmatch") and set_matches is not None:
        m = dotnet_regex(to_string(b, where), cs, where).search(to_string(a, where))
        if m is not None:
            h = Hashtable()
            h[0] = m.group(0)
            names = {v: k for k, v in m.re.groupindex.items()}
            for k in range(1, (m.re.groups or 0) + 1):
                if m.group(k) is not None:
                    h[names.get(k, k)] = m.group(k)
            set_matches(h)
        return (m is not None) if name == "match" else (m is None)
    return test(a)


# -- arithmetic (about_Arithmetic_Operators) --------------------------------------------------

def add(a, b, where=""):
    if a is None:
        return list(b) if isinstance(b, list) else b
    if isinstance(a, list):
        return a + (list(b) if isinstance(b, list) else [b])
    if isinstance(a, Hashtable):
        if not isinstance(b, Hashtable):
            raise error("A hash table can only be added to another hash table.", "AddHashTableToNonHashTable",
                        "InvalidOperation")
        r = Hashtable(a.items(), ordered=a.ordered)
        for k, v in b.items():
            if k in r:
                raise error("Item has already been added. Key in dictionary: '{0}'  Key being added: '{0}'"
                            .format(k), "System.ArgumentException", "OperationStopped", "System.ArgumentException")
            r[k] = v
        return r
    if isinstance(a, str) and not isinstance(a, JsonDate):
        return a + to_string(b, where)
    if isinstance(a, (bool, int, float)):
        return _num(to_number(a, where) + to_number(b, where))
    raise Unmodelled("{}: {} + {}".format(where, type_name_of(a), type_name_of(b)))


def _num(x):
    if isinstance(x, int) and not -2 ** 63 <= x < 2 ** 63:
        return float(x)
    return x


def arith(op, a, b, where=""):
    if op == "+":
        return add(a, b, where)
    if op == "*":
        if isinstance(a, str):
            return a * to_int(b, where)
        if isinstance(a, list):
            return a * to_int(b, where)
        return _num(to_number(a, where) * to_number(b, where))
    if isinstance(a, (list, Hashtable, PSObject)) or isinstance(b, (list, Hashtable, PSObject)):
        raise Unmodelled("{}: {} {} {}".format(where, type_name_of(a), op, type_name_of(b)))
    x, y = to_number(a, where), to_number(b, where)
    if op == "-":
        return _num(x - y)
    if op in ("/", "%"):
        if y == 0:
            raise error("Attempted to divide by zero.", "RuntimeException", "NotSpecified",
                        "System.DivideByZeroException")
        if op == "%":
            r = abs(x) % abs(y)
            return -r if x < 0 else r
        if isinstance(x, int) and isinstance(y, int) and x % y == 0:
            return x // y
        return x / y
    raise Unmodelled("{}: operator {}".format(where, op))


def format_op(template, args, where=""):
    """`'{0} {1}' -f a, b`: composite formatting without format strings."""
    args = args if isinstance(args, list) else [args]
    out, i, s = [], 0, to_string(template, where)
    while i < len(s):
        c = s[i]
        if c == "{":
            if s.startswith("{{", i):
                out.append("{")
                i += 2
                continue
            j = s.find("}", i)
            m = re.match(r"^\s*(\d+)\s*(,\s*(-?\d+)\s*)?$", s[i + 1:j] if j > 0 else "")
            if not m:
                raise Unmodelled("{}: -f format item {!r}".format(where, s[i:j + 1]))
            k = int(m.group(1))
            if k >= len(args):
                raise error("Error formatting a string: Index (zero based) must be greater than or equal to zero "
                            "and less than the size of the argument list..", "FormatError", "InvalidOperation")
            text = to_string(args[k], where)
            if m.group(3):
                w = int(m.group(3))
                text = text.ljust(-w) if w < 0 else text.rjust(w)
            out.append(text)
            i = j + 1
            continue
        if c == "}" and s.startswith("}}", i):
            out.append("}")
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


# -- members (about_Properties, about_Member-Access_Enumeration, about_Intrinsic_Members) ----

def property_not_found(name):
    return PSError("The property '{}' cannot be found on this object. Verify that the property exists.".format(name),
                   error_id="PropertyNotFoundStrict", category="NotSpecified",
                   exception_type="System.Management.Automation.PropertyNotFoundException", terminating=True)


def psobject_view(v, where):
    if not isinstance(v, PSObject):
        raise Unmodelled("{}: .PSObject of {}".format(where, type_name_of(v)))
    kind = "NoteProperty" if v.type_names[0] in (PSCUSTOM,) or v.type_names[0].startswith("Selected.") else "Property"
    props = MemberCollection(PSObject([("Name", k), ("Value", x), ("MemberType", kind), ("IsSettable", True)],
                                      type_names=("System.Management.Automation.PSNoteProperty",))
                             for k, x in v.items())
    return PSObject([("Properties", props), ("TypeNames", list(v.type_names)), ("BaseObject", v),
                     ("ImmediateBaseObject", v)], type_names=("System.Management.Automation.PSMemberSet",))


def get_member(v, name, strict, where=""):
    low = name.lower()
    if v is None:
        # $null.Count and .Length are 0 (about_Intrinsic_Members); any other property of $null
        # is $null, also under strict mode: Set-StrictMode's rule is about properties of an object.
        return 0 if low in ("count", "length") else None
    if isinstance(v, Hashtable):
        # keys first, then the dictionary's own properties; a missing key is $null (about_Hash_Tables)
        if name in v:
            return v[name]
        if low == "count":
            return len(v)
        if low == "keys":
            return v.keys()
        if low == "values":
            return v.values()
        return None
    if isinstance(v, MemberCollection) and low not in ("count", "length"):
        return [get_member(e, name, strict, where) for e in v]
    if isinstance(v, list):
        if low in ("count", "length"):
            return len(v)
        # member enumeration: each element's property (about_Member-Access_Enumeration)
        items = [e for e in v if e is not None]
        if not items:
            if strict >= 2:
                raise Unmodelled("{}: member enumeration of '{}' on an empty array under strict mode".format(where, name))
            return None
        res, found = [], False
        for e in items:
            if isinstance(e, PSObject) and not e.has(name) and low not in ("count", "length", "psobject"):
                continue
            found = True
            r = get_member(e, name, strict, where)
            res.extend(r if isinstance(r, list) else [r])
        if not found:
            if strict >= 2:
                raise property_not_found(name)
            return None
        return res[0] if len(res) == 1 else res
    if isinstance(v, PSObject):
        if v.has(name):
            return v.get(name)
        if low == "psobject":
            return psobject_view(v, where)
        if low == "pstypenames":
            return list(v.type_names)
        if low in ("count", "length"):
            return 1
        if strict >= 2:
            raise property_not_found(name)
        return None
    if isinstance(v, str):
        if isinstance(v, JsonDate):
            raise Unmodelled("{}: .{} of a DateTime read by ConvertFrom-Json".format(where, name))
        if low == "length":
            return len(v)
        if low == "count":
            return 1
    elif isinstance(v, (bool, int, float)):
        if low in ("count", "length"):
            return 1
    elif isinstance(v, ScriptBlock):
        raise Unmodelled("{}: property {} of a script block".format(where, name))
    elif isinstance(v, TypeValue):
        raise Unmodelled("{}: property {} of a type (use ::)".format(where, name))
    if strict >= 2:
        raise property_not_found(name)
    return None


def set_member(v, name, value, where=""):
    if isinstance(v, Hashtable):
        v[name] = value
        return
    if isinstance(v, PSObject):
        if not v.has(name):
            raise PSError("The property '{}' cannot be found on this object. Verify that the property exists and "
                          "can be set.".format(name), error_id="PropertyAssignmentException",
                          category="InvalidOperation", terminating=True)
        v.set(name, value)
        return
    if v is None:
        raise PSError("The property '{}' cannot be found on this object. Verify that the property exists and can "
                      "be set.".format(name), error_id="PropertyNotFound", category="InvalidOperation",
                      terminating=True)
    raise Unmodelled("{}: setting .{} on {}".format(where, name, type_name_of(v)))


def get_index(v, idx, strict, where=""):
    """about_Operators, index operator; Set-StrictMode 3.0: out of bounds is an error."""
    if isinstance(idx, list):
        raise Unmodelled("{}: indexing with several indexes".format(where))
    if v is None:
        raise error("Cannot index into a null array.", "NullArray", "InvalidOperation")
    if isinstance(v, Hashtable):
        return v.get(idx)
    if isinstance(v, PSObject) and isinstance(idx, str) and False:
        return None
    if isinstance(v, MemberCollection) and isinstance(idx, str):
        for p in v:
            if p.get("Name").lower() == idx.lower():
                return p
        return None
    if isinstance(v, (list, str)):
        if isinstance(v, str) and isinstance(v, JsonDate):
            raise Unmodelled("{}: indexing a DateTime".format(where))
        try:
            i = to_int(idx, where)
        except PSError:
            if strict >= 3:
                raise
            return None
        if -len(v) <= i < len(v):
            return v[i]
        if strict >= 3:
            raise error("Index was outside the bounds of the array.", "System.IndexOutOfRangeException",
                        "OperationStopped", "System.IndexOutOfRangeException")
        return None
    if isinstance(v, (bool, int, float, PSObject)):
        i = to_int(idx, where)
        return v if i in (0, -1) else None
    raise Unmodelled("{}: indexing {}".format(where, type_name_of(v)))


def set_index(v, idx, value, where=""):
    if isinstance(v, Hashtable):
        v[idx] = value
        return
    if isinstance(v, list):
        i = to_int(idx, where)
        if not -len(v) <= i < len(v):
            raise error("Index was outside the bounds of the array.", "System.IndexOutOfRangeException",
                        "OperationStopped", "System.IndexOutOfRangeException")
        v[i] = value
        return
    raise Unmodelled("{}: assigning to an index of {}".format(where, type_name_of(v)))


# -- methods (about_Methods): only those the scripts use ---------------------------------------

def method_error(name, args, message, exception_type="System.Management.Automation.MethodInvocationException"):
    return PSError('Exception calling "{}" with "{}" argument(s): "{}"'.format(name, len(args), message),
                   error_id="MethodInvocationException" if "Exception" not in message else "ArgumentException",
                   category="NotSpecified", exception_type=exception_type, terminating=True)


_IGNORE_CASE = {"ordinalignorecase", "currentcultureignorecase", "invariantcultureignorecase"}
_COMPARISONS = _IGNORE_CASE | {"ordinal", "currentculture", "invariantculture"}


def _comparison(args, n, name, where):
    """The optional StringComparison argument at position n: True when it ignores case.
    Without one, .NET compares case-sensitively (culture rules modelled as ordinal)."""
    if len(args) <= n:
        return False
    c = args[n]
    if not isinstance(c, str) or c.lower() not in _COMPARISONS:
        raise Unmodelled("{}: {}() with argument {!r}".format(where, name, c))
    return c.lower() in _IGNORE_CASE


def string_method(s, name, args, where):
    low = name.lower()
    sargs = [a if isinstance(a, str) else to_string(a, where) for a in args]

    def need(lo, hi):
        if not lo <= len(args) <= hi:
            raise Unmodelled("{}: {}() with {} arguments".format(where, name, len(args)))
    if low in ("startswith", "endswith", "contains", "equals", "indexof"):
        need(1, 2)
        ic = _comparison(args, 1, name, where)
        a, b = (s.lower(), sargs[0].lower()) if ic else (s, sargs[0])
        if args[0] is None:
            if low == "equals":
                return False
            raise method_error(name, args, "Value cannot be null. (Parameter 'value')", "System.ArgumentNullException")
        return {"startswith": lambda: a.startswith(b), "endswith": lambda: a.endswith(b),
                "contains": lambda: b in a, "equals": lambda: a == b, "indexof": lambda: a.find(b)}[low]()
    if low in ("tolower", "tolowerinvariant"):
        need(0, 0)
        return s.lower()
    if low in ("toupper", "toupperinvariant"):
        need(0, 0)
        return s.upper()
    if low in ("trim", "trimstart", "trimend"):
        chars = "".join(sargs) if args else None
        return {"trim": s.strip, "trimstart": s.lstrip, "trimend": s.rstrip}[low](chars)
    if low == "replace":
        need(2, 2)
        if sargs[0] == "":
            raise method_error(name, args, "The value cannot be an empty string. (Parameter 'oldValue')",
                               "System.ArgumentException")
        return s.replace(sargs[0], "" if args[1] is None else sargs[1])
    if low == "split":
        need(1, 1)
        if len(sargs[0]) != 1:
            # PowerShell 7 picks String.Split(string), Windows PowerShell 5.1 Split(char[]): they differ
            raise Unmodelled("{}: .Split({!r}) (a separator of more than one character)".format(where, sargs[0]))
        return s.split(sargs[0])
    if low == "substring":
        need(1, 2)
        start = to_int(args[0], where)
        length = to_int(args[1], where) if len(args) == 2 else len(s) - start
        if start < 0 or start > len(s) or length < 0 or start + length > len(s):
            raise method_error(name, args, "Index and length must refer to a location within the string.",
                               "System.ArgumentOutOfRangeException")
        return s[start:start + length]
    if low in ("padleft", "padright"):
        need(1, 2)
        w = to_int(args[0], where)
        c = sargs[1] if len(args) == 2 else " "
        return s.rjust(w, c) if low == "padleft" else s.ljust(w, c)
    if low == "tostring":
        need(0, 0)
        return s
    raise Unmodelled("{}: string method {}()".format(where, name))


def call_method(v, name, args, where, invoke=None):
    low = name.lower()
    if v is None:
        raise error("You cannot call a method on a null-valued expression.", "InvokeMethodOnNull",
                    "InvalidOperation")
    if isinstance(v, JsonDate):
        raise Unmodelled("{}: method {}() of a DateTime read by ConvertFrom-Json".format(where, name))
    if isinstance(v, str):
        return string_method(v, name, args, where)
    if isinstance(v, Hashtable):
        if low in ("containskey", "contains"):
            return args[0] in v
        if low == "containsvalue":
            return any(eq(x, args[0], True, where) for x in v.values())
        if low == "add":
            if args[0] in v:
                raise method_error(name, args, "Item has already been added. Key in dictionary: '{0}'  Key being "
                                   "added: '{0}'".format(to_string(args[0], where)))
            v[args[0]] = args[1]
            return None
        if low == "remove":
            if args[0] in v:
                del v[args[0]]
            return None
        if low == "clone":
            return Hashtable(v.items(), ordered=v.ordered)
        raise Unmodelled("{}: hashtable method {}()".format(where, name))
    if isinstance(v, list):
        if low == "contains":
            return any(eq(x, args[0], True, where) for x in v)
        if low in ("add", "remove", "insert", "clear", "removeat"):
            raise method_error(name, args, "Collection was of a fixed size.", "System.NotSupportedException")
        if low in ("foreach", "where"):
            raise Unmodelled("{}: the .{}() intrinsic method".format(where, name))
        # method enumeration: called on each element (about_Member-Access_Enumeration)
        out = []
        for e in v:
            r = call_method(e, name, args, where, invoke)
            out.extend(r if isinstance(r, list) else [r])
        return out[0] if len(out) == 1 else out
    if isinstance(v, ScriptBlock):
        if low == "invoke":
            return invoke(v, args)
        raise Unmodelled("{}: script block method {}()".format(where, name))
    if isinstance(v, PSObject):
        if low in v.methods:
            return v.methods[low](list(args))
        if low == "tostring" and not args:
            return to_string(v, where)
        raise Unmodelled("{}: method {}() of {}".format(where, name, v.type_names[0]))
    if isinstance(v, (bool, int, float)) and low == "tostring" and not args:
        return to_string(v, where)
    raise Unmodelled("{}: method {}() of {}".format(where, name, type_name_of(v)))


def static_member(t, name, where):
    full = t.full.lower()
    if full == "system.stringcomparison":
        for c in ("Ordinal", "OrdinalIgnoreCase", "CurrentCulture", "CurrentCultureIgnoreCase",
                  "InvariantCulture", "InvariantCultureIgnoreCase"):
            if c.lower() == name.lower():
                return c  # an enum value converts from and to its name
    if full in ("environment", "system.environment") and name.lower() == "newline":
        # "\n" where the runner's PowerShell 7 runs (Linux, macOS); Windows has "\r\n". The scripts only
        # join text they print with it.
        return "\n"
    if full == "system.string" and name.lower() == "empty":
        return ""
    if full == "system.int32" and name.lower() in ("maxvalue", "minvalue"):
        return 2 ** 31 - 1 if name.lower() == "maxvalue" else -2 ** 31
    raise Unmodelled("{}: static member [{}]::{}".format(where, t.written, name))


def static_method(t, name, args, where):
    full, low = t.full.lower(), name.lower()
    if full == "system.string":
        if low == "isnullorempty" and len(args) == 1:
            return args[0] is None or to_string(args[0], where) == ""
        if low == "isnullorwhitespace" and len(args) == 1:
            return args[0] is None or to_string(args[0], where).strip() == ""
        if low == "join" and len(args) >= 2:
            items = args[1] if len(args) == 2 and isinstance(args[1], list) else args[1:]
            return to_string(args[0], where).join(to_string(x, where) for x in items)
    raise Unmodelled("{}: static method [{}]::{}()".format(where, t.written, name))
