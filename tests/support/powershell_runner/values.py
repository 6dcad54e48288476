"""PowerShell values as the runner holds them.

  $null                 None
  $true / $false        bool
  [int] / [long]        int
  [double]              float
  [string]              str
  object[] (@(), a, b)  list
  [hashtable] (@{})     Hashtable (case-insensitive keys, insertion order)
  [ordered]             Hashtable(ordered=True)
  [pscustomobject],     PSObject (case-insensitive, ordered properties, type names)
  ConvertFrom-Json and
  every Az output object
  { ... }               ScriptBlock (interp.py)

A pipeline's collected result follows about_Pipelines / about_Assignment_Operators:
no object is $null, one object is that object (not a one-element array), two or
more are an object[] (`collect`).
"""


def _key(k):
    return k.lower() if isinstance(k, str) else k


class Hashtable:
    """`@{}`: keys compare case-insensitively (the default comparer of a PowerShell
    hashtable literal is OrdinalIgnoreCase). Enumeration follows insertion order,
    which a real Hashtable does not promise: noted in README.md."""

    def __init__(self, items=(), ordered=False):
        self._d = {}
        self.ordered = ordered
        for k, v in items:
            self[k] = v

    def __setitem__(self, k, v):
        kk = _key(k)
        if kk in self._d:
            self._d[kk] = (self._d[kk][0], v)
        else:
            self._d[kk] = (k, v)

    def __getitem__(self, k):
        return self._d[_key(k)][1]

    def get(self, k, default=None):
        e = self._d.get(_key(k))
        return e[1] if e else default

    def __contains__(self, k):
        return _key(k) in self._d

    def __delitem__(self, k):
        del self._d[_key(k)]

    def __len__(self):
        return len(self._d)

    def keys(self):
        return [k for k, _ in self._d.values()]

    def values(self):
        return [v for _, v in self._d.values()]

    def items(self):
        return list(self._d.values())

    def __repr__(self):
        return "@{" + "; ".join("{}={!r}".format(k, v) for k, v in self.items()) + "}"


class PSObject:
    """An object with named properties: [pscustomobject], ConvertFrom-Json's objects,
    and the Az cmdlets' output objects (whose .NET type is type_names[0]).

    Reading a property it does not have is $null, or under Set-StrictMode -Version
    2.0 and later an error (PropertyNotFoundStrict): interp.py decides, using `has`.
    `methods` maps a lower-case method name to a Python callable (args) -> value;
    any other method call is Unmodelled.
    """

    def __init__(self, props=(), type_names=("System.Management.Automation.PSCustomObject",), methods=None):
        self._p = {}
        for k, v in (props.items() if isinstance(props, dict) else props):
            self.set(k, v)
        self.type_names = list(type_names)
        self.methods = dict(methods or {})

    def has(self, name):
        return name.lower() in self._p

    def get(self, name):
        return self._p[name.lower()][1]

    def set(self, name, value):
        low = name.lower()
        if low in self._p:
            self._p[low] = (self._p[low][0], value)
        else:
            self._p[low] = (name, value)

    def names(self):
        return [n for n, _ in self._p.values()]

    def items(self):
        return list(self._p.values())

    def __repr__(self):
        return "[{}]@{{{}}}".format(self.type_names[0].split(".")[-1],
                                    "; ".join("{}={!r}".format(k, v) for k, v in self.items()))


def collect(items):
    """A pipeline's output as a value: $null, the one object, or an object[]."""
    items = list(items)
    if not items:
        return None
    if len(items) == 1:
        return items[0]
    return items


def enumerate_value(value):
    """What a pipeline or `foreach` enumerates: the elements of an array (one level),
    nothing for $null, else the value itself. Hashtables and strings are not enumerated."""
    if value is None:
        return []
    if isinstance(value, list):
        return list(value)
    return [value]
