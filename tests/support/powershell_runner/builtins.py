"""PowerShell's own commands (module ""), as PowerShell 7.4 documents them
(Microsoft.PowerShell.Utility and Microsoft.PowerShell.Core reference pages).

Only the parameters listed are modelled; any other is Unmodelled by the binder (interp.py).
"""

import json
import math
import re

from .commands import Param, command
from .errors import PSError, Unmodelled
from .values import Hashtable, PSObject, collect, enumerate_value
from . import semantics as S

SRC = "PowerShell 7.4 reference: Microsoft.PowerShell.Utility/{}.md"


def _where(call):
    return getattr(call, "where", call.name)


def _items(call, param="InputObject"):
    """Pipeline input, or the parameter's value taken as one object."""
    if call.input:
        return list(call.input)
    if call.has(param):
        return [call.get(param)]
    return []


# -- streams ----------------------------------------------------------------------------------

@command("Out-Null", params=[Param("InputObject")], pipeline=True, source=SRC.format("Out-Null"))
def out_null(call):
    return []


@command("Write-Output", params=[Param("InputObject", position=0, remaining=True), Param("NoEnumerate", switch=True)],
         pipeline=True, source=SRC.format("Write-Output"))
def write_output(call):
    if call.input:
        return list(call.input)
    if not call.has("InputObject"):
        return []
    v = call.get("InputObject")
    return [v] if call.get("NoEnumerate") else ([None] if v is None else enumerate_value(v))


@command("Write-Host", params=[Param("Object", position=0, remaining=True), Param("NoNewline", switch=True),
                               Param("Separator")], pipeline=True, source=SRC.format("Write-Host"))
def write_host(call):
    sep = S.to_string(call.get("Separator", " "))
    objs = call.input or enumerate_value(call.get("Object"))
    call.host.write_out(sep.join(S.to_string(o, _where(call)) for o in objs))
    return []


@command("Write-Warning", params=[Param("Message", position=0)], pipeline=True, source=SRC.format("Write-Warning"))
def write_warning(call):
    for m in _items(call, "Message"):
        call.host.write_warning(S.to_string(m, _where(call)))
    return []


@command("Write-Verbose", params=[Param("Message", position=0)], pipeline=True, source=SRC.format("Write-Verbose"))
def write_verbose(call):
    # $VerbosePreference is SilentlyContinue by default: nothing is shown
    if S.to_string(call.interp.pref("verbosepreference")).lower() != "silentlycontinue":
        raise Unmodelled("{}: Write-Verbose with $VerbosePreference set".format(_where(call)))
    return []


@command("Write-Error", params=[Param("Message", position=0), Param("Category"), Param("ErrorId"),
                                Param("TargetObject")], pipeline=True, source=SRC.format("Write-Error"))
def write_error(call):
    msg = S.to_string(call.get("Message") if call.has("Message") else collect(call.input), _where(call))
    raise PSError(msg, error_id=S.to_string(call.get("ErrorId") or "Microsoft.PowerShell.Commands.WriteErrorException"),
                  category=S.to_string(call.get("Category") or "NotSpecified"),
                  exception_type="Microsoft.PowerShell.Commands.WriteErrorException", terminating=False,
                  target=call.get("TargetObject"))


@command("Read-Host", params=[Param("Prompt", position=0, remaining=True)], source=SRC.format("Read-Host"))
def read_host(call):
    # The console shows the prompt followed by ": " (Read-Host -Prompt).
    if call.has("Prompt"):
        call.host.write_out(S.to_string(call.get("Prompt"), _where(call)) + ": ")
    return [call.host.read_line()]


@command("Start-Sleep", params=[Param("Seconds", aliases=("s",), position=0), Param("Milliseconds", aliases=("ms",))],
         source="PowerShell 7.4 reference: Microsoft.PowerShell.Utility/Start-Sleep.md")
def start_sleep(call):
    if call.has("Seconds"):
        secs = S.to_number(call.get("Seconds"), _where(call), "System.Double")
    elif call.has("Milliseconds"):
        secs = S.to_int(call.get("Milliseconds"), _where(call)) / 1000.0
    else:
        raise Unmodelled("{}: Start-Sleep without a duration".format(_where(call)))
    call.host.sleep(secs)
    return []


# -- pipeline commands ------------------------------------------------------------------------

def _block(call, name):
    b = call.get(name)
    if not isinstance(b, S.ScriptBlock):
        raise Unmodelled("{}: {} -{} {}".format(_where(call), call.name, name, S.type_name_of(b)))
    return b


@command("Where-Object", params=[Param("FilterScript", position=0), Param("InputObject")], pipeline=True,
         source="PowerShell 7.4 reference: Microsoft.PowerShell.Core/Where-Object.md (script block syntax)")
def where_object(call):
    block = _block(call, "FilterScript")
    out = []
    for item in _items(call):
        if S.truthy(collect(call.interp.invoke(block, dollar_under=item, dot=True))):
            out.append(item)
    return out


@command("ForEach-Object", params=[Param("Process", position=0), Param("MemberName"), Param("InputObject")],
         pipeline=True, source="PowerShell 7.4 reference: Microsoft.PowerShell.Core/ForEach-Object.md")
def foreach_object(call):
    if call.has("MemberName") or isinstance(call.get("Process"), str):
        name = S.to_string(call.get("MemberName") if call.has("MemberName") else call.get("Process"))
        out = []
        for item in _items(call):
            v = S.get_member(item, name, call.interp.strict, _where(call))
            out.extend(enumerate_value(v) if isinstance(v, list) else [v])
        return out
    block = _block(call, "Process")
    out = []
    for item in _items(call):
        out.extend(call.interp.invoke(block, dollar_under=item, dot=True))
    return out


@command("Select-Object", params=[Param("Property", position=0), Param("ExpandProperty"), Param("First"),
                                  Param("InputObject")], pipeline=True, source=SRC.format("Select-Object"))
def select_object(call):
    items = _items(call)
    w = _where(call)
    if call.has("First"):
        items = items[:S.to_int(call.get("First"), w)]
    if call.has("ExpandProperty"):
        if call.has("Property"):
            raise Unmodelled("{}: Select-Object -Property with -ExpandProperty".format(w))
        name = S.to_string(call.get("ExpandProperty"), w)
        out = []
        for item in items:
            if not _has_property(item, name):
                raise PSError('Property "{}" cannot be found.'.format(name),
                              error_id="ExpandPropertyNotFound,Microsoft.PowerShell.Commands.SelectObjectCommand",
                              category="InvalidArgument", exception_type="System.Management.Automation.PSArgumentException",
                              terminating=False)
            v = S.get_member(item, name, 0, w)
            out.extend(enumerate_value(v) if isinstance(v, list) else [v])
        return out
    if not call.has("Property"):
        return items
    props = call.get("Property")
    props = props if isinstance(props, list) else [props]
    out = []
    for item in items:
        o = PSObject(type_names=("Selected." + S.type_name_of(item), S.PSCUSTOM))
        for p in props:
            if isinstance(p, Hashtable):
                label = p.get("Name") if "Name" in p else p.get("Label")
                expr = p.get("Expression")
                if label is None or expr is None or len(p) != 2:
                    raise Unmodelled("{}: calculated property {!r}".format(w, p))
                if isinstance(expr, S.ScriptBlock):
                    val = collect(call.interp.invoke(expr, dollar_under=item, dot=True))
                else:
                    val = S.get_member(item, S.to_string(expr), 0, w)
                o.set(S.to_string(label), val)
                continue
            name = S.to_string(p, w)
            if any(ch in name for ch in "*?["):
                raise Unmodelled("{}: Select-Object wildcard property {}".format(w, name))
            # a property the object lacks is $null in the selection (no strict-mode error)
            o.set(name, S.get_member(item, name, 0, w) if _has_property(item, name) else None)
        out.append(o)
    return out


def _has_property(item, name):
    if isinstance(item, PSObject):
        return item.has(name)
    if isinstance(item, Hashtable):
        return name in item
    if isinstance(item, str):
        return name.lower() == "length"
    return False


# -- formatting -------------------------------------------------------------------------------

def _display(v):
    """A property value as the formatter shows it: a collection in braces (at most
    $FormatEnumerationLimit = 4 items), an object by its string form."""
    if isinstance(v, list):
        shown = [_display(x) for x in v[:4]]
        return "{" + ", ".join(shown) + (", ..." if len(v) > 4 else "") + "}"
    if isinstance(v, S.JsonDate):
        return str(v)
    if isinstance(v, Hashtable):
        return "{" + ", ".join("[{}, {}]".format(S.to_string(k), _display(x)) for k, x in v.items()) + "}"
    return S.to_string(v)


def format_lines(objs):
    """Format-List's layout: for each object a blank line, then `Name : value` lines with the
    names padded to the longest; a scalar is its string form. (The console's exact spacing
    need not match; every input prints.)"""
    lines = []
    for o in objs:
        if isinstance(o, PSObject) and not isinstance(o, S.ErrorRecord):
            items = o.items()
            width = max([len(k) for k, _ in items] or [0])
            lines.append("")
            for k, v in items:
                lines.append("{} : {}".format(k.ljust(width), _display(v)))
        elif isinstance(o, Hashtable):
            for k, v in o.items():
                lines.append("")
                lines.append("Name  : {}".format(S.to_string(k)))
                lines.append("Value : {}".format(_display(v)))
        else:
            lines.extend(S.to_string(o).split("\n") if o is not None else [])
    return lines


@command("Format-List", params=[Param("InputObject")], pipeline=True, source=SRC.format("Format-List"))
def format_list(call):
    for line in format_lines(_items(call)):
        call.host.write_out(line)
    # Format-List emits format objects, which Out-Default writes: the lines are written here.
    return []


@command("Out-String", params=[Param("InputObject")], pipeline=True, source=SRC.format("Out-String"))
def out_string(call):
    return ["\n".join(format_lines(_items(call))) + "\n"]


# -- JSON (PowerShell 7.4: Newtonsoft.Json based) ---------------------------------------------

def _json_string(s):
    """Newtonsoft's default escaping (StringEscapeHandling.Default): quote, backslash and
    control characters; nothing else (not even < > & or non-ASCII)."""
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\b":
            out.append("\\b")
        elif ch == "\f":
            out.append("\\f")
        elif ord(ch) < 0x20:
            out.append("\\u{:04x}".format(ord(ch)))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _json_double(f):
    """Newtonsoft writes a double with a fraction even when integral ("1.0")."""
    if math.isnan(f) or math.isinf(f):
        return _json_string(S.fmt_double(f))
    r = S.fmt_double(f)
    if re.match(r"^-?\d+$", r):
        return r + ".0"
    return r


class _Truncated:
    def __init__(self):
        self.hit = False


def _to_tree(v, depth, max_depth, trunc, where):
    """ConvertTo-Json's object walk (JsonObject.ConvertToJson, PowerShell 7.x): the top object
    is at depth 0, an entry's value or an element one deeper; an object or collection deeper
    than -Depth becomes its string form (a Hashtable: "System.Collections.Hashtable")."""
    if v is None:
        return None
    if isinstance(v, S.JsonDate):
        raise Unmodelled("{}: ConvertTo-Json of a DateTime read by ConvertFrom-Json".format(where))
    if isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, S.ScriptBlock):
        raise Unmodelled("{}: ConvertTo-Json of a script block".format(where))
    if isinstance(v, S.TypeValue):
        raise Unmodelled("{}: ConvertTo-Json of a type".format(where))
    if depth > max_depth:
        trunc.hit = True
        return S.to_string(v, where)
    if isinstance(v, Hashtable):
        return ("obj", [(S.to_string(k), _to_tree(x, depth + 1, max_depth, trunc, where)) for k, x in v.items()])
    if isinstance(v, list):
        return ("arr", [_to_tree(x, depth + 1, max_depth, trunc, where) for x in v])
    if isinstance(v, PSObject):
        return ("obj", [(k, _to_tree(x, depth + 1, max_depth, trunc, where)) for k, x in v.items()])
    raise Unmodelled("{}: ConvertTo-Json of {}".format(where, S.type_name_of(v)))


def _render(t, compress, indent=0):
    if t is None:
        return "null"
    if isinstance(t, bool):
        return "true" if t else "false"
    if isinstance(t, int):
        return str(t)
    if isinstance(t, float):
        return _json_double(t)
    if isinstance(t, str):
        return _json_string(t)
    kind, body = t
    open_, close = ("{", "}") if kind == "obj" else ("[", "]")
    if not body:
        return open_ + close
    if kind == "obj":
        parts = [_json_string(k) + (":" if compress else ": ") + _render(x, compress, indent + 1) for k, x in body]
    else:
        parts = [_render(x, compress, indent + 1) for x in body]
    if compress:
        return open_ + ",".join(parts) + close
    pad, inner = "  " * indent, "  " * (indent + 1)
    return open_ + "\n" + ",\n".join(inner + p for p in parts) + "\n" + pad + close


def to_json(value, depth=2, compress=False, where="", warn=None):
    trunc = _Truncated()
    text = _render(_to_tree(value, 0, depth, trunc, where), compress)
    if trunc.hit and warn:
        # PowerShell 7.1+ warns once per call
        warn("Resulting JSON is truncated as serialization has exceeded the set depth of {}.".format(depth))
    return text


@command("ConvertTo-Json", params=[Param("InputObject", position=0), Param("Depth"), Param("Compress", switch=True),
                                   Param("AsArray", switch=True)], pipeline=True, source=SRC.format("ConvertTo-Json"))
def convertto_json(call):
    w = _where(call)
    depth = S.to_int(call.get("Depth", 2), w)
    if not 0 <= depth <= 100:
        raise PSError("Cannot validate argument on parameter 'Depth'. The {} argument is greater than the maximum "
                      "allowed range of 100.".format(depth), error_id="ParameterArgumentValidationError",
                      category="InvalidData", exception_type="System.Management.Automation.ParameterBindingException")
    # Piped objects are gathered: one object is written as itself, several as an array.
    if call.input:
        value = call.input[0] if len(call.input) == 1 else list(call.input)
    elif call.has("InputObject"):
        value = call.get("InputObject")
    else:
        return []
    if call.get("AsArray") and not isinstance(value, list):
        value = [value]
    return [to_json(value, depth, bool(call.get("Compress")), w, call.host.write_warning)]


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?$")


def _from_tree(v, as_hashtable):
    if isinstance(v, dict):
        if as_hashtable:
            return Hashtable([(k, _from_tree(x, True)) for k, x in v.items()])
        if "" in v:
            raise Unmodelled("ConvertFrom-Json of an object with an empty property name")
        return PSObject([(k, _from_tree(x, False)) for k, x in v.items()])
    if isinstance(v, list):
        return [_from_tree(x, as_hashtable) for x in v]
    if isinstance(v, str) and _DATE_RE.match(v):
        return S.JsonDate(v)
    return v


def _pairs_last_wins(pairs):
    d = {}
    for k, v in pairs:
        # PSObject and Hashtable keys are case-insensitive: the last of keys differing in case
        # wins for a PSObject; -AsHashtable would fail (Unmodelled)
        for old in list(d):
            if old.lower() == k.lower() and old != k:
                raise Unmodelled("ConvertFrom-Json: keys {!r} and {!r} differ only in case".format(old, k))
        d[k] = v
    return d


def from_json(text, as_hashtable=False, where=""):
    try:
        data = json.loads(text, object_pairs_hook=_pairs_last_wins)
    except ValueError as e:
        raise PSError("Conversion from JSON failed with error: {}".format(e),
                      error_id="System.ArgumentException,Microsoft.PowerShell.Commands.ConvertFromJsonCommand",
                      category="NotSpecified", exception_type="System.ArgumentException", terminating=True)
    return _from_tree(data, as_hashtable)


@command("ConvertFrom-Json", params=[Param("InputObject", position=0), Param("AsHashtable", switch=True),
                                     Param("NoEnumerate", switch=True)], pipeline=True,
         source="PowerShell 7.4 reference: Microsoft.PowerShell.Utility/ConvertFrom-Json.md")
def convertfrom_json(call):
    w = _where(call)
    inputs = _items(call)
    if not inputs:
        return []
    if any(not isinstance(i, str) for i in inputs):
        raise Unmodelled("{}: ConvertFrom-Json of a non-string".format(w))
    # Several piped strings are one JSON text (ConvertFromJsonCommand joins them).
    text = "\n".join(inputs)
    value = from_json(text, bool(call.get("AsHashtable")), w)
    # PowerShell 7 enumerates a JSON array (each element is output) unless -NoEnumerate;
    # Windows PowerShell 5.1 wrote the array as one object.
    if isinstance(value, list) and not call.get("NoEnumerate"):
        return list(value)
    return [value]


# -- objects ----------------------------------------------------------------------------------

@command("Add-Member", params=[Param("InputObject"), Param("NotePropertyName"), Param("NotePropertyValue"),
                               Param("MemberType", aliases=("Type",)), Param("Name"), Param("Value"),
                               Param("Force", switch=True), Param("PassThru", switch=True)], pipeline=True,
         source=SRC.format("Add-Member"))
def add_member(call):
    w = _where(call)
    if call.has("NotePropertyName"):
        name, value = S.to_string(call.get("NotePropertyName"), w), call.get("NotePropertyValue")
        if call.has("MemberType") or call.has("Name") or call.has("Value"):
            raise Unmodelled("{}: Add-Member mixing -NotePropertyName with -MemberType/-Name/-Value".format(w))
    else:
        mt = S.to_string(call.get("MemberType"), w)
        if mt.lower() != "noteproperty":
            raise Unmodelled("{}: Add-Member -MemberType {}".format(w, mt))
        name, value = S.to_string(call.get("Name"), w), call.get("Value")
    out = []
    for obj in _items(call):
        if not isinstance(obj, PSObject):
            raise Unmodelled("{}: Add-Member on {}".format(w, S.type_name_of(obj)))
        if obj.has(name) and not call.get("Force"):
            raise PSError('Cannot add a member with the name "{}" because a member with that name already exists. '
                          'To overwrite the member anyway, add the Force parameter to your command.'.format(name),
                          error_id="MemberAlreadyExists,Microsoft.PowerShell.Commands.AddMemberCommand",
                          category="InvalidOperation", exception_type="System.InvalidOperationException",
                          terminating=True)
        obj.set(name, value)
        if call.get("PassThru"):
            out.append(obj)
    return out
