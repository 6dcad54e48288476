"""The PowerShell interpreter of the test runner, on the tree-sitter PowerShell grammar.

    interp = Interpreter(host)
    interp.run(source, path="deploy.ps1")   # PSError (uncaught), ExitScript (exit), Unmodelled
    interp.invoke(scriptblock, args=(), dollar_under=item) -> list of output objects

Modelled: PowerShell 7.4 (semantics.py holds the value rules). Statements are walked node by
node; any node type not in HANDLED, and any construct a handler does not know, raises
Unmodelled naming the construct and `path:line`. Unmodelled is never caught by the script's
try/catch (only PSError is).

Output: every statement's output objects go to its caller (function, script block, `@()`,
`$( )`, assignment); at the top of the script they are written to host.write_out.
Pipelines run stage by stage (each stage gets all of the previous stage's objects): the
scripts' side effects do not depend on the interleaving of streaming.
"""

import re

import tree_sitter
import tree_sitter_powershell

from . import commands
from .errors import ExitScript, PSError, Unmodelled
from .values import Hashtable, PSObject, collect, enumerate_value
from . import semantics as S
from .semantics import ErrorRecord, ParamSpec, ScriptBlock, TypeValue

_PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))

# Expression nodes that only pass their one operand through, or combine operands with an
# operator (left-associative: `a + b + c` is additive(additive(a + b) + c)).
CHAIN = {
    "logical_expression", "bitwise_expression", "comparison_expression", "additive_expression",
    "multiplicative_expression", "format_expression", "range_expression", "array_literal_expression",
    "unary_expression", "argument_expression", "logical_argument_expression", "bitwise_argument_expression",
    "comparison_argument_expression", "additive_argument_expression", "multiplicative_argument_expression",
    "format_argument_expression", "range_argument_expression", "left_assignment_expression",
}

# Every node type the interpreter handles (a static test checks the golden scripts against it).
HANDLED = CHAIN | {
    "program", "statement_list", "pipeline", "pipeline_chain", "comment", "empty_statement",
    "assignment_expression", "assignement_operator", "if_statement", "elseif_clauses", "elseif_clause",
    "else_clause", "statement_block", "for_statement", "for_initializer", "for_condition", "for_iterator",
    "foreach_statement", "while_statement", "while_condition", "do_statement", "try_statement",
    "catch_clauses", "catch_clause", "catch_type_list", "finally_clause", "flow_control_statement",
    "function_statement", "function_name", "function_parameter_declaration", "parameter_list",
    "script_parameter", "script_parameter_default", "attribute_list", "attribute", "param_block",
    "script_block", "script_block_body", "script_block_expression", "command", "command_name",
    "command_name_expr", "command_elements", "command_argument_sep", "command_parameter",
    "command_invokation_operator", "path_command_name", "generic_token", "variable", "braced_variable",
    "string_literal", "verbatim_string_characters", "expandable_string_literal",
    "expandable_here_string_literal", "verbatim_here_string_characters", "sub_expression",
    "integer_literal", "decimal_integer_literal", "hexadecimal_integer_literal", "real_literal",
    "type_literal", "type_spec", "type_name", "type_identifier", "array_type_name", "cast_expression",
    "expression_with_unary_operator", "pre_increment_expression", "pre_decrement_expression",
    "post_increment_expression", "post_decrement_expression", "array_expression",
    "hash_literal_expression", "hash_literal_body", "hash_entry", "key_expression", "simple_name",
    "parenthesized_expression", "member_access", "member_name", "invokation_expression",
    "argument_list", "argument_expression_list", "element_access", "comparison_operator",
    "format_operator",
}

REDIRECTION = re.compile(r"^(\d|\*)?>>?(&\d)?")
COMMON_PARAMETERS = {"verbose", "vb", "debug", "db", "warningaction", "wa", "informationaction", "infa",
                     "errorvariable", "ev", "warningvariable", "wv", "informationvariable", "iv",
                     "outvariable", "ov", "outbuffer", "ob", "pipelinevariable", "pv", "whatif", "wi",
                     "confirm", "cf", "progressaction", "proga"}
ERROR_ACTIONS = {"stop": "Stop", "continue": "Continue", "silentlycontinue": "SilentlyContinue", "ignore": "Ignore"}
# Automatic variables a script may read that the runner does not model (about_Automatic_Variables).
UNMODELLED_AUTOMATIC = {"?", "^", "$", "input", "myinvocation", "psscriptroot", "pscommandpath", "pscmdlet",
                        "host", "pshome", "profile", "psversiontable", "psboundparameters", "executioncontext",
                        "stacktrace", "pwd", "home", "pid", "iscoreclr", "islinux", "iswindows", "ismacos",
                        "foreach", "switch", "this", "sender", "event", "nestedpromptlevel", "psculture",
                        "psuiculture", "psdebugcontext", "psitem_"}
_NO_ITEM = object()


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class _Return(Exception):
    pass


class Scope:
    def __init__(self, parent=None):
        self.parent = parent
        self.vars = {}       # lower-case name -> value
        self.functions = {}  # lower-case name -> ScriptBlock (with .name)


class Interpreter:
    def __init__(self, host):
        self.host = host
        self.script_scope = Scope()
        self.scope = self.script_scope
        self.strict = 0          # Set-StrictMode: 0 off, 1, 2, 3 (Latest in 7.4)
        self.try_depth = 0       # > 0: a terminating error goes to a catch
        self.catching = []       # the errors of the catch blocks being run (for a bare `throw`)
        self.path = "script.ps1"
        self.src = b""
        self.requires = []       # #Requires -Modules names, in order
        v = self.script_scope.vars
        v["erroractionpreference"] = "Continue"
        v["warningpreference"] = "Continue"
        v["verbosepreference"] = "SilentlyContinue"
        v["debugpreference"] = "SilentlyContinue"
        v["progresspreference"] = "Continue"
        v["confirmpreference"] = "High"
        v["error"] = []
        v["args"] = []
        from . import builtins  # noqa: F401  (registers PowerShell's own commands)

    # == entry points ==========================================================================

    def run(self, source, path="script.ps1", args=()):
        """Runs a script; `args` are its arguments, of which only switches of a script param() block are
        modelled (about_Scripts: a switch is $true when named, $false otherwise)."""
        self.path = path
        self.src = source.encode("utf-8")
        tree = _PARSER.parse(self.src)
        self._check_parse(tree.root_node)
        root = tree.root_node
        for c in root.children:
            if c.type == "comment":
                self._requires(c)
            elif c.type == "statement_list":
                for s in c.children:
                    if s.type == "comment":
                        self._requires(s)
            elif c.type == "param_block":
                self._script_params(c, list(args))
                args = ()
            elif c.type not in ("comment",):
                raise Unmodelled("{}: top-level {}".format(self.where(c), c.type))
        if args:
            raise Unmodelled("{}: script arguments {!r} without a param() block".format(path, list(args)))
        body = [c for c in root.children if c.type == "statement_list"]
        try:
            for sl in body:
                self.exec_list(sl, None, top=True)
        except _Return:
            pass
        except (_Break, _Continue):
            raise Unmodelled("{}: break/continue outside a loop".format(path))
        except PSError as e:
            self.record(e)
            raise

    def invoke(self, block, args=(), dollar_under=_NO_ITEM, dot=False):
        """Runs a script block and returns its output objects: in a child scope of the current
        one (dynamic scoping, about_Scopes), or with dot=True in the current scope itself, as
        Where-Object and ForEach-Object run theirs (`$n++` in them changes the caller's $n)."""
        if not isinstance(block, ScriptBlock):
            raise Unmodelled("invoking {} as a script block".format(S.type_name_of(block)))
        return self._call_block(block, positional=list(args), named={}, dollar_under=dollar_under,
                                where=block.path, dot=dot)

    # == helpers ===============================================================================

    def where(self, node):
        return "{}:{}".format(self.path, node.start_point[0] + 1)

    def text(self, node):
        return self.src[node.start_byte:node.end_byte].decode("utf-8")

    def unmodelled(self, node, what):
        return Unmodelled("{}: {}".format(self.where(node), what))

    def _check_parse(self, node):
        stack = [node]
        while stack:
            n = stack.pop()
            if n.type == "ERROR" or n.is_missing:
                raise Unmodelled("{}: text the PowerShell grammar does not parse: {!r}".format(
                    self.where(n), self.text(n)[:60]))
            stack.extend(n.children)

    def _requires(self, node):
        t = self.text(node)
        m = re.match(r"#requires\s+-modules\s+(.*)$", t, re.I)
        if m:
            self.requires.extend(x.strip() for x in m.group(1).split(",") if x.strip())
        elif re.match(r"#requires\b", t, re.I):
            raise self.unmodelled(node, "#Requires form " + t)

    def named(self, node):
        return [c for c in node.children if c.is_named and c.type != "comment"]

    def record(self, e):
        """$Error holds every error record, newest first (about_Automatic_Variables)."""
        if not getattr(e, "_recorded", False):
            e._recorded = True
            self.script_scope.vars["error"].insert(0, ErrorRecord(e))

    # == variables (about_Variables, about_Scopes, about_Environment_Variables) ================

    def _split_var(self, text, node):
        if text.startswith("${") and text.endswith("}"):
            name = text[2:-1]
        elif text.startswith("$") or text.startswith("@"):
            name = text[1:]
        else:
            raise self.unmodelled(node, "variable " + text)
        scope = None
        if ":" in name:
            q, rest = name.split(":", 1)
            if q.lower() in ("script", "global", "local", "env", "private"):
                scope, name = q.lower(), rest
            else:
                raise self.unmodelled(node, "variable scope or drive {}:".format(q))
        return scope, name

    def read_var(self, text, node, in_string=False):
        scope, name = self._split_var(text, node)
        low = name.lower()
        if scope == "env":
            return self.host.env.get(name)
        if scope is None:
            if low == "true":
                return True
            if low == "false":
                return False
            if low == "null":
                return None
            if low == "psitem":
                low = "_"
            if low in UNMODELLED_AUTOMATIC:
                raise self.unmodelled(node, "automatic variable $" + name)
        s = self.script_scope if scope in ("script", "global") else self.scope
        if scope == "local" or scope == "private":
            if low in s.vars:
                return s.vars[low]
        else:
            while s is not None:
                if low in s.vars:
                    return s.vars[low]
                s = s.parent
        if self.strict >= 2 or (self.strict == 1 and not in_string):
            raise PSError("The variable '${}' cannot be retrieved because it has not been set.".format(name),
                          error_id="VariableIsUndefined", category="InvalidOperation", terminating=True)
        return None

    def write_var(self, text, value, node):
        scope, name = self._split_var(text, node)
        low = name.lower()
        if scope == "env":
            if value is None or value == "":
                self.host.env.pop(name, None)
            else:
                self.host.env[name] = S.to_string(value, self.where(node))
            return
        if scope is None and low == "null":
            return  # `$null = ...` discards
        if scope is None and low in ("true", "false"):
            raise PSError("Cannot overwrite variable {} because it is read-only or constant.".format(name),
                          error_id="VariableNotWritable", category="WriteError", terminating=True)
        if low == "psitem":
            low = "_"
        if low == "erroractionpreference":
            if S.to_string(value).lower() not in ERROR_ACTIONS:
                raise self.unmodelled(node, "$ErrorActionPreference = {!r}".format(value))
        s = self.script_scope if scope in ("script", "global") else self.scope
        s.vars[low] = value

    def pref(self, name):
        s = self.scope
        while s is not None:
            if name in s.vars:
                return s.vars[name]
            s = s.parent
        return None

    def error_action(self):
        return ERROR_ACTIONS.get(S.to_string(self.pref("erroractionpreference")).lower(), "Continue")

    # == statements ============================================================================

    def exec_list(self, node, out, top=False):
        """Runs a statement_list; each statement's output is appended to `out` (None at the top
        of the script: written to the host)."""
        for st in node.children:
            if st.type in ("comment", "empty_statement") or not st.is_named:
                continue
            sink = [] if out is None else out
            try:
                self.exec_stmt(st, sink)
            except PSError as e:
                # A statement-terminating error (not `throw`, outside any try) ends only its
                # statement unless $ErrorActionPreference is Stop (about_Error_Handling).
                if self.try_depth > 0 or getattr(e, "script_terminating", False):
                    raise
                action = self.error_action()
                if action == "Stop":
                    raise
                self.record(e)
                if action == "Continue":
                    self.host.write_error(e.message)
            finally:
                if out is None:
                    for o in sink:
                        self.write_default(o)

    def write_default(self, o):
        from .builtins import format_lines  # Out-Default: scalars as text, objects as a list
        for line in format_lines([o]):
            self.host.write_out(line)

    def exec_stmt(self, node, out):
        t = node.type
        h = getattr(self, "st_" + t, None)
        if h is None:
            if t in HANDLED:
                out.extend(self.output_of(self.ev(node)))
                return
            raise self.unmodelled(node, "statement " + t)
        h(node, out)

    def exec_block(self, node, out):
        """statement_block: `{ statements }` (no new scope)."""
        if node.type != "statement_block":
            raise self.unmodelled(node, "block " + node.type)
        for c in node.children:
            if c.type == "statement_list":
                self.exec_list(c, out)
            elif c.is_named and c.type != "comment":
                raise self.unmodelled(c, "in a block: " + c.type)

    def output_of(self, value):
        """What an expression writes to the pipeline: an array's elements (one level), else the
        value itself ($null too)."""
        return [None] if value is None else enumerate_value(value)

    def st_pipeline(self, node, out):
        kids = self.named(node)
        if len(kids) != 1:
            raise self.unmodelled(node, "pipeline of {} parts (&& / ||)".format(len(kids)))
        k = kids[0]
        if k.type == "assignment_expression":
            self.assign(k)
            return
        if k.type != "pipeline_chain":
            out.extend(self.output_of(self.ev(k)))
            return
        elems = self.chain_elements(k)
        if len(elems) == 1 and elems[0].type != "command" and self._is_increment(elems[0]):
            self.ev(elems[0])  # `$i++` as a statement writes nothing
            return
        out.extend(self.run_chain(k))

    def _is_increment(self, node):
        while node.type in CHAIN and len(self.named(node)) == 1 and len(node.children) == 1:
            node = node.children[0]
        if node.type == "expression_with_unary_operator" and len(node.children) == 1:
            node = node.children[0]
        return node.type in ("post_increment_expression", "post_decrement_expression",
                             "pre_increment_expression", "pre_decrement_expression")

    def st_assignment_expression(self, node, out):
        self.assign(node)

    def st_if_statement(self, node, out):
        cond = node.child_by_field_name("condition")
        blocks = [c for c in node.children if c.type == "statement_block"]
        if self.cond(cond):
            self.exec_block(blocks[0], out)
            return
        for c in node.children:
            if c.type == "elseif_clauses":
                for e in c.children:
                    if e.type != "elseif_clause":
                        continue
                    if self.cond(e.child_by_field_name("condition")):
                        self.exec_block([b for b in e.children if b.type == "statement_block"][0], out)
                        return
            elif c.type == "else_clause":
                self.exec_block([b for b in c.children if b.type == "statement_block"][0], out)
                return

    def cond(self, node):
        if node is None:
            raise Unmodelled("{}: a condition the grammar did not find".format(self.path))
        return S.truthy(self.value_of(node), self.where(node))

    def _loop_body(self, body, out):
        """Runs a loop body once: False when `break` ends the loop."""
        try:
            self.exec_block(body, out)
        except _Break as b:
            if b.args and b.args[0]:
                raise
            return False
        except _Continue as c:
            if c.args and c.args[0]:
                raise
        return True

    def st_for_statement(self, node, out):
        init = cond = it = None
        for c in node.children:
            if c.type == "for_initializer":
                init = c
            elif c.type == "for_condition":
                cond = c
            elif c.type == "for_iterator":
                it = c
        body = [c for c in node.children if c.type == "statement_block"][0]
        if init is not None:
            for s in self.named(init):
                self.exec_stmt(s, out)
        while True:
            if cond is not None:
                parts = self.named(cond)
                if len(parts) != 1 or not S.truthy(self.value_of(parts[0]), self.where(cond)):
                    if len(parts) != 1:
                        raise self.unmodelled(cond, "for condition")
                    break
            if not self._loop_body(body, out):
                break
            if it is not None:
                for s in self.named(it):
                    self.exec_stmt(s, out)

    def st_foreach_statement(self, node, out):
        var = coll = None
        seen_in = False
        for c in node.children:
            if c.type == "foreach_parameter":
                raise self.unmodelled(c, "foreach -parallel")
            if c.type == "in":
                seen_in = True
            elif c.is_named and c.type not in ("statement_block", "comment"):
                if not seen_in and c.type == "variable":
                    var = c
                elif seen_in and coll is None:
                    coll = c
        body = [c for c in node.children if c.type == "statement_block"][0]
        if var is None or coll is None:
            raise self.unmodelled(node, "foreach form")
        for item in enumerate_value(self.value_of(coll)):
            self.write_var(self.text(var), item, var)
            if not self._loop_body(body, out):
                break

    def st_while_statement(self, node, out):
        cond = [c for c in node.children if c.type == "while_condition"][0]
        body = [c for c in node.children if c.type == "statement_block"][0]
        while self.cond(self.named(cond)[0]):
            if not self._loop_body(body, out):
                break

    def st_do_statement(self, node, out):
        body = [c for c in node.children if c.type == "statement_block"][0]
        until = any(c.type == "until" for c in node.children)
        cond = [c for c in node.children if c.type == "while_condition"][0]
        while True:
            if not self._loop_body(body, out):
                break
            r = self.cond(self.named(cond)[0])
            if r == until:
                break

    def st_function_statement(self, node, out):
        kw = node.children[0].type.lower()
        if kw != "function":
            raise self.unmodelled(node, kw + " definitions")
        name = self.text([c for c in node.children if c.type == "function_name"][0])
        params = []
        decl = [c for c in node.children if c.type == "function_parameter_declaration"]
        if decl:
            for pl in decl[0].children:
                if pl.type == "parameter_list":
                    params = self.param_specs(pl)
        body = [c for c in node.children if c.type == "script_block"]
        block = self.make_block(body[0] if body else None, node, params)
        if decl and block.params and len(block.params) != len(params):
            raise self.unmodelled(node, "a function with both (...) parameters and param()")
        block.name = name
        self.scope.functions[name.lower()] = block

    def param_specs(self, plist):
        specs = []
        for p in plist.children:
            if p.type != "script_parameter":
                continue
            type_name, var, default = None, None, None
            for c in p.children:
                if c.type == "attribute_list":
                    for a in c.children:
                        if a.type != "attribute":
                            continue
                        tl = [x for x in a.children if x.type == "type_literal"]
                        if not tl:
                            raise self.unmodelled(a, "parameter attribute " + self.text(a))
                        if type_name is not None:
                            raise self.unmodelled(a, "two type constraints")
                        type_name = self.type_text(tl[0]).lower()
                elif c.type == "variable":
                    var = self.text(c)[1:]
                elif c.type == "script_parameter_default":
                    default = self.named(c)[0]
            specs.append(ParamSpec(var, type_name, default))
        return specs

    def _script_params(self, node, args):
        pl = [x for x in node.children if x.type == "parameter_list"]
        specs = self.param_specs(pl[0]) if pl else []
        given = {a.lower() for a in args}
        for spec in specs:
            if spec.type_name != "switch" or spec.default is not None:
                raise self.unmodelled(node, "a script parameter other than a [switch]: $" + spec.name)
            self.script_scope.vars[spec.name.lower()] = ("-" + spec.name.lower()) in given
            given.discard("-" + spec.name.lower())
        for a in sorted(given):
            if not a.startswith("-"):
                raise Unmodelled("{}: a positional script argument {!r}".format(self.path, a))
            # ParameterBindingException, NamedParameterNotFound
            raise PSError("A parameter cannot be found that matches parameter name '{}'.".format(a[1:]),
                          error_id="NamedParameterNotFound", category="InvalidArgument",
                          exception_type="System.Management.Automation.ParameterBindingException")

    def make_block(self, sb, node, params=()):
        """A ScriptBlock from a script_block node (None: empty)."""
        params = list(params)
        if sb is not None:
            for c in sb.children:
                if c.type == "param_block":
                    pl = [x for x in c.children if x.type == "parameter_list"]
                    if params:
                        raise self.unmodelled(c, "a function with both (...) parameters and param()")
                    params = self.param_specs(pl[0]) if pl else []
                elif c.type == "named_block_list":
                    raise self.unmodelled(c, "begin/process/end blocks")
                elif c.type not in ("script_block_body", "comment") and c.is_named:
                    raise self.unmodelled(c, "in a script block: " + c.type)
        text = self.text(sb) if sb is not None else ""
        return ScriptBlock(sb, text, params, self.path)

    def st_flow_control_statement(self, node, out):
        kw = node.children[0].type.lower()
        args = self.named(node)
        if kw in ("break", "continue"):
            if args:
                raise self.unmodelled(node, kw + " with a label")
            raise _Break() if kw == "break" else _Continue()
        if kw == "return":
            if args:
                out.extend(self.pipeline_output(args[0]))
            raise _Return()
        if kw == "exit":
            code = S.to_int(self.value_of(args[0]), self.where(node)) if args else 0
            raise ExitScript(code)
        if kw == "throw":
            raise self.throw(node, args)
        raise self.unmodelled(node, kw)

    def throw(self, node, args):
        """about_Throw: a string becomes a RuntimeException with that message; an error record is
        thrown again; a bare `throw` in a catch block rethrows the error being handled."""
        if not args:
            if self.catching:
                e = self.catching[-1]
            else:
                e = PSError("ScriptHalted", error_id="ScriptHalted", category="OperationStopped")
        else:
            v = self.value_of(args[0])
            if isinstance(v, ErrorRecord):
                e = v.error
            elif isinstance(v, PSObject) and "system.exception" in [t.lower() for t in v.type_names]:
                raise self.unmodelled(node, "throwing an exception object")
            else:
                msg = S.to_string(v, self.where(node)) if v is not None else "ScriptHalted"
                e = PSError(msg, error_id=msg, category="OperationStopped", target=v)
        e.terminating = True
        e.script_terminating = True
        return e

    def st_try_statement(self, node, out):
        body = [c for c in node.children if c.type == "statement_block"][0]
        catches = [c for cc in node.children if cc.type == "catch_clauses" for c in cc.children
                   if c.type == "catch_clause"]
        fin = [c for c in node.children if c.type == "finally_clause"]
        pending = None
        self.try_depth += 1
        try:
            try:
                self.exec_block(body, out)
            finally:
                self.try_depth -= 1
        except Unmodelled:
            raise
        except PSError as e:
            self.record(e)
            clause = self.match_catch(catches, e)
            if clause is None:
                pending = e
            else:
                try:
                    self.run_catch(clause, e, out)
                except Unmodelled:
                    raise
                except BaseException as e2:
                    pending = e2
        except (_Break, _Continue, _Return, ExitScript) as e:
            pending = e
        if fin:
            self.exec_block([c for c in fin[0].children if c.type == "statement_block"][0], out)
        if pending is not None:
            raise pending

    def match_catch(self, catches, e):
        chain = [t.lower() for t in S.exception_chain(e.exception_type)]
        for clause in catches:
            types = [c for c in clause.children if c.type == "catch_type_list"]
            if not types:
                return clause
            for tl in types[0].children:
                if tl.type == "type_literal":
                    want = S.resolve_type_name(self.type_text(tl)).lower()
                    if want in chain or "system." + want in chain:
                        return clause
        return None

    def run_catch(self, clause, e, out):
        block = [c for c in clause.children if c.type == "statement_block"][0]
        vars_ = self.scope.vars
        had, old = "_" in vars_, vars_.get("_")
        vars_["_"] = ErrorRecord(e)
        self.catching.append(e)
        try:
            self.exec_block(block, out)
        finally:
            self.catching.pop()
            if had:
                vars_["_"] = old
            else:
                vars_.pop("_", None)

    # unmodelled statements, named so the message says what they are
    def st_switch_statement(self, node, out):
        raise self.unmodelled(node, "switch statement")

    def st_trap_statement(self, node, out):
        raise self.unmodelled(node, "trap statement")

    # == assignment (about_Assignment_Operators) ===============================================

    def assign(self, node):
        left = node.children[0]
        op = self.text([c for c in node.children if c.type == "assignement_operator"][0])
        value_node = node.child_by_field_name("value")
        target = self.unwrap(left)
        if value_node.type == "assignment_expression":
            value = self.assign(value_node)
        else:
            value = self.value_of(value_node)
        w = self.where(node)
        if op != "=":
            ops = {"+=": "+", "-=": "-", "*=": "*", "/=": "/", "%=": "%"}
            if op not in ops:
                raise self.unmodelled(node, "assignment operator " + op)
            value = S.arith(ops[op], self.ev(target), value, w)
        self.store(target, value)
        return value

    def unwrap(self, node):
        while node.type in CHAIN and len(node.children) == 1:
            node = node.children[0]
        return node

    def store(self, target, value):
        t = target.type
        w = self.where(target)
        if t == "variable":
            self.write_var(self.text(target), value, target)
        elif t == "member_access":
            obj, op, member = target.children[0], target.children[1], target.children[2]
            if op.type != ".":
                raise self.unmodelled(target, "assigning to a static member")
            S.set_member(self.ev(obj), self.member_name(member), value, w)
        elif t == "element_access":
            S.set_index(self.ev(target.children[0]), self.ev(self.named(target)[1]), value, w)
        else:
            raise self.unmodelled(target, "assignment to " + t)

    # == pipelines and commands (about_Pipelines, about_Parameters) ============================

    def chain_elements(self, chain):
        elems = []
        for c in chain.children:
            if c.type == "|" or c.type == "comment":
                continue
            if c.type == "pipeline_chain_tail" or not c.is_named:
                raise self.unmodelled(c, "pipeline element " + c.type)
            elems.append(c)
        return elems

    def run_chain(self, chain):
        elems = self.chain_elements(chain)
        items = None
        for i, el in enumerate(elems):
            if el.type == "command":
                items = self.run_command(el, items)
            elif i == 0:
                items = self.output_of(self.ev(el))
            else:
                raise self.unmodelled(el, "an expression after | (only the first element may be one)")
        return items

    def pipeline_output(self, node):
        """A pipeline node's output objects."""
        if node.type == "pipeline":
            kids = self.named(node)
            if len(kids) != 1:
                raise self.unmodelled(node, "pipeline with && / ||")
            node = kids[0]
            if node.type == "assignment_expression":
                self.assign(node)
                return []
        if node.type == "pipeline_chain":
            return self.run_chain(node)
        if node.type == "command":
            return self.run_command(node, None)
        return self.output_of(self.ev(node))

    def value_of(self, node):
        """A pipeline as a value: an expression's own value (`,1` stays an array), a command's
        output collected (none: $null, one: the object, more: object[])."""
        n = node
        if n.type == "pipeline":
            kids = self.named(n)
            if len(kids) != 1:
                raise self.unmodelled(n, "pipeline with && / ||")
            n = kids[0]
        if n.type == "assignment_expression":
            return self.assign(n)
        if n.type == "pipeline_chain":
            elems = self.chain_elements(n)
            if len(elems) == 1 and elems[0].type != "command":
                return self.ev(elems[0])
            return collect(self.run_chain(n))
        if n.type == "command":
            return collect(self.run_command(n, None))
        return self.ev(n)

    def parse_arguments(self, node):
        """command_elements -> [('param', name, colon, node) | ('arg', value, node) | ('splat', value, node)]."""
        out = []
        els = [c for c in node.children]
        for i, c in enumerate(els):
            t = c.type
            if t == "command_argument_sep":
                if self.text(c).strip() == ":" and out and out[-1][0] == "param":
                    out[-1] = ("param", out[-1][1], True, out[-1][3])
                continue
            if t == "comment":
                continue
            if t == "command_parameter":
                txt = self.text(c)
                colon = txt.endswith(":")
                out.append(("param", txt[1:].rstrip(":"), colon, c))
            elif t == "generic_token":
                txt = self.text(c)
                if REDIRECTION.match(txt):
                    raise self.unmodelled(c, "redirection " + txt)
                if "$" in txt or "`" in txt or txt.startswith("@"):
                    raise self.unmodelled(c, "bare argument " + txt)
                out.append(("arg", txt, c))
            elif t in ("redirection", "redirections", "file_redirection_operator", "merging_redirection_operator",
                       "stop_parsing", "verbatim_command_argument"):
                raise self.unmodelled(c, t)
            elif t == "variable" and self.text(c).startswith("@"):
                out.append(("splat", self.read_var(self.text(c), c), c))
            else:
                out.append(("arg", self.ev(c), c))
        return out

    def run_command(self, node, items):
        """One command of a pipeline; `items` is its pipeline input (None: first in the pipeline)."""
        inv = [c for c in node.children if c.type == "command_invokation_operator"]
        if inv and self.text(inv[0]).strip() != "&":
            raise self.unmodelled(node, "dot-sourcing (.)")
        name_node = node.child_by_field_name("command_name")
        elems = node.child_by_field_name("command_elements")
        args = self.parse_arguments(elems) if elems is not None else []
        target = None
        if name_node is None:
            raise self.unmodelled(node, "command without a name")
        if name_node.type == "command_name_expr":
            kids = self.named(name_node)
            k = kids[0]
            if k.type == "path_command_name" and self.named(k) and self.named(k)[0].type == "variable":
                target = self.read_var(self.text(self.named(k)[0]), k)
            elif k.type == "script_block_expression":
                target = self.ev(k)
            elif k.type == "string_literal":
                target = self.ev(k)
            elif k.type == "path_command_name":
                target = self.text(k)
            else:
                raise self.unmodelled(k, "command name " + k.type)
        else:
            target = self.text(name_node)
            if not inv:
                m = re.match(r"^(-?\d+)\.\.(-?\d+)$", target)
                if m and not args:
                    # the grammar reads `1..3` at the start of a statement as a command name
                    a, b = int(m.group(1)), int(m.group(2))
                    return list(range(a, b + 1) if a <= b else range(a, b - 1, -1))
        if isinstance(target, ScriptBlock):
            if items:
                raise self.unmodelled(node, "pipeline input to a script block ($input)")
            pos, named = self.split_args(args, node)
            return self._call_block(target, pos, named, _NO_ITEM, self.where(node))
        if not isinstance(target, str):
            raise self.unmodelled(node, "invoking a {}".format(S.type_name_of(target)))
        fn = self.find_function(target)
        if fn is not None:
            if items:
                raise self.unmodelled(node, "pipeline input to function {} ($input)".format(target))
            pos, named = self.split_args(args, node)
            return self._call_block(fn, pos, named, _NO_ITEM, self.where(node))
        cmd = commands.lookup(target)
        if cmd is None:
            raise self.unmodelled(node, "unknown command " + target)
        return self.call_command(cmd, args, items, node)

    def find_function(self, name):
        s, low = self.scope, name.lower()
        while s is not None:
            if low in s.functions:
                return s.functions[low]
            s = s.parent
        return None

    def split_args(self, args, node):
        """A function's or script block's arguments: named (-Name value / -Switch) and positional."""
        pos, named = [], []
        i = 0
        while i < len(args):
            a = args[i]
            if a[0] == "param":
                if a[2] or (i + 1 < len(args) and args[i + 1][0] == "arg"):
                    named.append((a[1], True, args[i + 1][1] if i + 1 < len(args) and args[i + 1][0] == "arg"
                                  else None, a[3]))
                    if i + 1 < len(args) and args[i + 1][0] == "arg":
                        i += 1
                else:
                    named.append((a[1], False, None, a[3]))
            elif a[0] == "splat":
                raise self.unmodelled(a[2], "splatting into a function")
            else:
                pos.append(a[1])
            i += 1
        return pos, named

    def _call_block(self, block, positional, named, dollar_under, where, dot=False):
        """Calls a function or script block: a new scope under the caller's (dynamic scoping)."""
        scope = self.scope if dot else Scope(self.scope)
        if dot and (block.params or named or positional):
            raise Unmodelled("{}: arguments to a script block run in the caller's scope".format(where))
        saved_under = (("_" in scope.vars), scope.vars.get("_"))
        specs = {p.name.lower(): p for p in block.params}
        bound = {}
        extra = []
        for pname, has_value, value, pnode in named:
            hits = [p for p in block.params if p.name.lower() == pname.lower()]
            if not hits:
                raise self.unmodelled(pnode, "parameter -{} of {} (not declared, or a prefix)".format(
                    pname, getattr(block, "name", "a script block")))
            p = hits[0]
            if p.type_name == "switch":
                if has_value and self.text(pnode).endswith(":") is False and not self._colon_next(pnode):
                    # `-Switch value`: the value is positional
                    bound[p.name.lower()] = True
                    positional = positional + [value]
                    continue
                bound[p.name.lower()] = S.truthy(value) if has_value else True
            else:
                if not has_value:
                    raise PSError("Missing an argument for parameter '{}'. Specify a parameter of type '{}' and "
                                  "try again.".format(p.name, p.type_name or "System.Object"),
                                  error_id="MissingArgument", category="InvalidArgument",
                                  exception_type="System.Management.Automation.ParameterBindingException")
                bound[p.name.lower()] = value
        rest = list(positional)
        for p in block.params:
            if p.name.lower() in bound or p.type_name == "switch":
                continue
            if rest:
                bound[p.name.lower()] = rest.pop(0)
        extra = rest
        old = self.scope
        self.scope = scope
        out = []
        try:
            if dollar_under is not _NO_ITEM:
                scope.vars["_"] = dollar_under
            for p in block.params:
                low = p.name.lower()
                if low in bound:
                    v = self.convert_param(bound[low], p, where)
                elif p.default is not None:
                    v = self.convert_param(self.value_of(p.default), p, where)
                else:
                    v = self.convert_param(None, p, where, unbound=True)
                scope.vars[low] = v
            if not dot:
                scope.vars["args"] = extra
            if block.node is not None:
                try:
                    for c in block.node.children:
                        if c.type == "script_block_body":
                            for sl in c.children:
                                if sl.type == "statement_list":
                                    self.exec_list(sl, out)
                except _Return:
                    pass
                except (_Break, _Continue):
                    raise Unmodelled("{}: break/continue leaving a function or script block".format(where))
        finally:
            self.scope = old
            if dot and dollar_under is not _NO_ITEM:
                if saved_under[0]:
                    scope.vars["_"] = saved_under[1]
                else:
                    scope.vars.pop("_", None)
        return out

    def _colon_next(self, pnode):
        nxt = pnode.next_sibling
        return nxt is not None and nxt.type == "command_argument_sep" and self.text(nxt).strip() == ":"

    def convert_param(self, value, p, where, unbound=False):
        """A typed parameter converts its argument (about_Functions, about_Parameters)."""
        t = p.type_name
        if t is None or t in ("object", "psobject"):
            return value
        if t == "switch":
            return bool(value)
        if t == "bool":
            if unbound:
                return False
            if isinstance(value, (bool, int)) and not isinstance(value, list):
                return bool(value)
            raise PSError("Cannot process argument transformation on parameter '{}'. Cannot convert value \"{}\" "
                          "to type \"System.Boolean\". Boolean parameters accept only Boolean values and numbers, "
                          "such as $True, $False, 1 or 0.".format(p.name, S.to_string(value)),
                          error_id="ParameterArgumentTransformationError", category="InvalidData",
                          exception_type="System.Management.Automation.ParameterBindingException")
        if t == "string":
            return "" if value is None else S.to_string(value, where)
        if t == "int":
            return 0 if value is None else S.to_int(value, where)
        if t == "scriptblock":
            if value is None or isinstance(value, ScriptBlock):
                return value
            raise PSError("Cannot process argument transformation on parameter '{}'. Cannot convert the \"{}\" "
                          "value of type \"{}\" to type \"System.Management.Automation.ScriptBlock\".".format(
                              p.name, S.to_string(value), S.type_name_of(value)),
                          error_id="ParameterArgumentTransformationError", category="InvalidData",
                          exception_type="System.Management.Automation.ParameterBindingException")
        if t in ("array", "object[]", "string[]"):
            if value is None:
                return None
            v = list(value) if isinstance(value, list) else [value]
            return [S.to_string(x, where) for x in v] if t == "string[]" else v
        if t in ("hashtable", "pscustomobject"):
            return value if value is None else S.convert(value, TypeValue(t), where)
        raise Unmodelled("{}: parameter type [{}]".format(where, t))

    def call_command(self, cmd, args, items, node):
        """Binds per commands.py's contract and calls an registered command."""
        w = self.where(node)
        bound, positional, order = {}, [], []
        ea = None
        i = 0

        def take_value(i, pname):
            if i + 1 < len(args) and args[i + 1][0] == "arg":
                return args[i + 1][1], i + 1
            raise PSError("Missing an argument for parameter '{}'.".format(pname), error_id="MissingArgument,"
                          + cmd.name, category="InvalidArgument",
                          exception_type="System.Management.Automation.ParameterBindingException")

        def bind(p, value, pnode):
            if p.name in bound:
                raise PSError("Cannot bind parameter because parameter '{}' is specified more than once.".format(
                    p.name), error_id="ParameterAlreadyBound," + cmd.name, category="InvalidArgument",
                    exception_type="System.Management.Automation.ParameterBindingException")
            bound[p.name] = value
            order.append(p)

        while i < len(args):
            a = args[i]
            if a[0] == "param":
                pname, colon, pnode = a[1], a[2], a[3]
                low = pname.lower()
                if low in ("erroraction", "ea"):
                    v, i = take_value(i, "ErrorAction")
                    ea = ERROR_ACTIONS.get(S.to_string(v, w).lower())
                    if ea is None:
                        raise self.unmodelled(pnode, "-ErrorAction {}".format(v))
                elif low in COMMON_PARAMETERS:
                    raise self.unmodelled(pnode, "common parameter -{} of {}".format(pname, cmd.name))
                else:
                    p = cmd.params.get(low)
                    if p is None:
                        raise self.unmodelled(pnode, "parameter -{} of {}".format(pname, cmd.name))
                    if p.switch:
                        if colon:
                            v, i = take_value(i, p.name)
                            bind(p, S.truthy(v, w), pnode)
                        else:
                            bind(p, True, pnode)
                    else:
                        v, i = take_value(i, p.name)
                        bind(p, v, pnode)
            elif a[0] == "splat":
                h = a[1]
                if not isinstance(h, Hashtable):
                    raise self.unmodelled(a[2], "splatting a {}".format(S.type_name_of(h)))
                for k, v in h.items():
                    low = S.to_string(k).lower()
                    if low in ("erroraction", "ea"):
                        ea = ERROR_ACTIONS.get(S.to_string(v).lower())
                        if ea is None:
                            raise self.unmodelled(a[2], "-ErrorAction {}".format(v))
                        continue
                    p = cmd.params.get(low)
                    if p is None:
                        raise self.unmodelled(a[2], "splatted parameter {} of {}".format(k, cmd.name))
                    bind(p, S.truthy(v) if p.switch else v, a[2])
            else:
                positional.append(a[1])
            i += 1
        if positional:
            slots = sorted({id(p): p for p in cmd.params.values()
                            if getattr(p, "position", None) is not None}.values(), key=lambda p: p.position)
            for p in slots:
                if not positional:
                    break
                if p.name in bound:
                    continue
                if getattr(p, "remaining", False):
                    bind(p, positional if len(positional) > 1 else positional[0], node)
                    positional = []
                else:
                    bind(p, positional.pop(0), node)
            if positional:
                raise self.unmodelled(node, "positional argument {!r} of {}".format(positional[0], cmd.name))
        if items is not None and not cmd.pipeline:
            raise self.unmodelled(node, "pipeline input to {}".format(cmd.name))
        call = commands.Call(self.host, cmd.name, params=bound, input=list(items or []), interp=self)
        call.where = w
        call.error_action = ea
        outputs = []
        try:
            if cmd.az:
                self.host.begin_az_call(cmd.name, self.argv(bound, order, cmd))
            snap = self.host.snapshot() if cmd.mutating else None
            try:
                res = cmd.fn(call)
                if res is not None:
                    if isinstance(res, (list, tuple)):
                        outputs.extend(res)
                    elif hasattr(res, "__next__"):
                        for o in res:
                            outputs.append(o)
                    else:
                        outputs.append(res)
            except PSError:
                if snap is not None:
                    self.host.restore(snap)
                raise
        except PSError as e:
            self.command_error(e, ea, cmd.name)
        return outputs

    def argv(self, bound, order, cmd):
        import json
        out = []
        for p in order:
            name = p.name
            v = bound[name]
            if p.switch:
                out.append("-" + name if v else "-{}:$false".format(name))
                continue
            out.append("-" + name)
            if isinstance(v, bool):
                out.append("$true" if v else "$false")
            elif v is None:
                out.append("$null")
            elif isinstance(v, (str, int, float)):
                out.append(S.to_string(v))
            else:
                out.append(json.dumps(plain(v), separators=(",", ":")))
        return out

    def command_error(self, e, ea, name):
        """A command's error: terminating ones go on; a non-terminating one (WriteError) follows
        -ErrorAction, else $ErrorActionPreference (about_Preference_Variables, about_CommonParameters)."""
        if e.terminating:
            raise e
        action = ea or self.error_action()
        if action == "Stop":
            e.terminating = True
            raise e
        if action == "Ignore":
            return
        self.record(e)
        if action == "Continue":
            self.host.write_error("{}: {}".format(name, e.message))

    # == expressions ===========================================================================

    def ev(self, node):
        t = node.type
        if t in CHAIN:
            kids = node.children
            if len(kids) == 1:
                return self.ev(kids[0])
            return self.ev_operator(node)
        h = getattr(self, "ev_" + t, None)
        if h is None:
            raise self.unmodelled(node, "expression " + t)
        return h(node)

    def ev_operator(self, node):
        t = node.type
        kids = [c for c in node.children if c.type != "comment"]
        w = self.where(node)
        if t in ("array_literal_expression",):
            return [self.ev(c) for c in kids if c.type != ","]
        if len(kids) != 3:
            raise self.unmodelled(node, "{} with {} parts".format(t, len(kids)))
        left, opn, right = kids
        op = self.text(opn).strip()
        low = op.lower()
        if low in ("-and", "-or", "-xor"):
            a = S.truthy(self.ev(left), w)
            if low == "-and":
                return a and S.truthy(self.ev(right), w)
            if low == "-or":
                return a or S.truthy(self.ev(right), w)
            return a != S.truthy(self.ev(right), w)
        a = self.ev(left)
        b = self.ev(right)
        if t in ("additive_expression", "multiplicative_expression", "additive_argument_expression",
                 "multiplicative_argument_expression"):
            return S.arith(op, a, b, w)
        if low == "-f":
            return S.format_op(a, b, w)
        if op == "..":
            x, y = S.to_int(a, w), S.to_int(b, w)
            return list(range(x, y + 1) if x <= y else range(x, y - 1, -1))
        if t in ("comparison_expression", "comparison_argument_expression"):
            return S.compare(op, a, b, w, set_matches=lambda h: self.scope.vars.__setitem__("matches", h))
        raise self.unmodelled(node, "operator " + op)

    def ev_pipeline(self, node):
        return self.value_of(node)

    def ev_pipeline_chain(self, node):
        return self.value_of(node)

    def ev_command(self, node):
        return collect(self.run_command(node, None))

    def ev_assignment_expression(self, node):
        return self.assign(node)

    def ev_variable(self, node):
        txt = self.text(node)
        if txt.startswith("@"):
            raise self.unmodelled(node, "splatting outside a command")
        return self.read_var(txt, node)

    def ev_string_literal(self, node):
        kids = self.named(node)
        if len(kids) != 1:
            raise self.unmodelled(node, "string literal form")
        return self.ev(kids[0])

    def ev_verbatim_string_characters(self, node):
        t = self.text(node)
        if len(t) < 2 or t[0] not in "'\u2018\u2019" or t[-1] not in "'\u2018\u2019":
            raise self.unmodelled(node, "single-quoted string " + t[:20])
        return re.sub("['\u2018\u2019]{2}", lambda m: m.group(0)[0], t[1:-1])

    def ev_verbatim_here_string_characters(self, node):
        t = self.text(node)
        m = re.match(r"^@'[ \t]*\r?\n(.*)\r?\n'@$", t, re.S)
        if not m:
            if re.match(r"^@'[ \t]*\r?\n'@$", t):
                return ""
            raise self.unmodelled(node, "here-string form")
        return m.group(1)

    def ev_expandable_string_literal(self, node):
        t = self.text(node)
        if not (t.startswith('"') and t.endswith('"')) or len(t) < 2:
            raise self.unmodelled(node, "double-quoted string form " + t[:20])
        return self.expand(node, node.start_byte + 1, node.end_byte - 1, here=False)

    def ev_expandable_here_string_literal(self, node):
        t = self.text(node)
        m = re.match(r'^@"[ \t]*\r?\n', t)
        m2 = re.search(r'\r?\n"@$', t)
        if not m or not m2:
            if re.match(r'^@"[ \t]*\r?\n"@$', t):
                return ""
            raise self.unmodelled(node, "here-string form")
        return self.expand(node, node.start_byte + m.end(), node.end_byte - (len(m2.group(0))), here=True)

    def expand(self, node, start, end, here):
        """about_Quoting_Rules: $name and $( ) are expanded (`$a.b` expands only `$a`);
        backtick escapes (about_Special_Characters); "" is one quote in a double-quoted string."""
        parts, pos = [], start
        for c in node.children:
            if not c.is_named:
                continue
            if c.start_byte < start or c.end_byte > end:
                continue
            parts.append(self.unescape(self.src[pos:c.start_byte].decode("utf-8"), here, c))
            if c.type == "variable":
                v = self.read_var(self.text(c), c, in_string=True)
                parts.append(S.to_string(v, self.where(c)))
            elif c.type == "sub_expression":
                parts.append(S.to_string(self.ev(c), self.where(c)))
            else:
                raise self.unmodelled(c, "in a string: " + c.type)
            pos = c.end_byte
        parts.append(self.unescape(self.src[pos:end].decode("utf-8"), here, node))
        return "".join(parts)

    ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "e": "\x1b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
               "v": "\v"}

    def unescape(self, s, here, node):
        out, i = [], 0
        while i < len(s):
            c = s[i]
            if c == "`" and i + 1 < len(s):
                d = s[i + 1]
                if d == "u" and i + 2 < len(s) and s[i + 2] == "{":
                    j = s.find("}", i)
                    out.append(chr(int(s[i + 3:j], 16)))
                    i = j + 1
                    continue
                out.append(self.ESCAPES.get(d, d))
                i += 2
                continue
            if c == "$" and i + 1 < len(s) and (s[i + 1].isalnum() or s[i + 1] in "_{(?:"):
                raise self.unmodelled(node, "a $ in a string the grammar did not read as a variable: "
                                      + s[i:i + 12])
            if not here and c == '"' and i + 1 < len(s) and s[i + 1] == '"':
                out.append('"')
                i += 2
                continue
            out.append(c)
            i += 1
        return "".join(out)

    def ev_sub_expression(self, node):
        out = []
        for c in node.children:
            if c.type == "statement_list":
                self.exec_list(c, out)
        return collect(out)

    def ev_array_expression(self, node):
        out = []
        for c in node.children:
            if c.type == "statement_list":
                self.exec_list(c, out)
        return out

    def ev_parenthesized_expression(self, node):
        kids = self.named(node)
        if len(kids) != 1:
            raise self.unmodelled(node, "parenthesized form")
        return self.value_of(kids[0])

    def ev_integer_literal(self, node):
        return self.ev(self.named(node)[0])

    def ev_decimal_integer_literal(self, node):
        t = self.text(node).lower()
        m = re.match(r"^(\d+)(l|kb|mb|gb|tb|pb)?$", t)
        if not m:
            raise self.unmodelled(node, "integer literal " + t)
        mult = {None: 1, "l": 1, "kb": 1024, "mb": 1024 ** 2, "gb": 1024 ** 3, "tb": 1024 ** 4, "pb": 1024 ** 5}
        return int(m.group(1)) * mult[m.group(2)]

    def ev_hexadecimal_integer_literal(self, node):
        t = self.text(node).lower()
        if not re.match(r"^0x[0-9a-f]+$", t):
            raise self.unmodelled(node, "integer literal " + t)
        return int(t, 16)

    def ev_real_literal(self, node):
        t = self.text(node)
        if not re.match(r"^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$", t, re.I):
            raise self.unmodelled(node, "real literal " + t)
        return float(t)

    def type_text(self, tl):
        spec = [c for c in tl.children if c.type == "type_spec"]
        if not spec:
            raise self.unmodelled(tl, "type literal")
        if any(c.type in ("generic_type_arguments", "generic_type_name", "dimension") for c in spec[0].children):
            raise self.unmodelled(tl, "type " + self.text(spec[0]))
        return self.text(spec[0]).replace(" ", "")

    def ev_type_literal(self, node):
        return TypeValue(self.type_text(node))

    def ev_cast_expression(self, node):
        kids = self.named(node)
        tl, operand = kids[0], kids[-1]
        tname = self.type_text(tl).lower()
        w = self.where(node)
        inner = self.unwrap(operand)
        if tname == "ordered":
            if inner.type != "hash_literal_expression":
                raise self.unmodelled(node, "[ordered] on something other than a hash literal")
            h = self.ev(inner)
            h.ordered = True
            return h
        if tname == "pscustomobject" and inner.type == "hash_literal_expression":
            return PSObject(self.ev(inner).items())
        return S.convert(self.ev(operand), TypeValue(tname), w)

    def ev_expression_with_unary_operator(self, node):
        kids = [c for c in node.children if c.type != "comment"]
        if len(kids) == 1:
            return self.ev(kids[0])
        op = self.text(kids[0]).strip().lower()
        w = self.where(node)
        if op in ("-not", "!"):
            return not S.truthy(self.ev(kids[1]), w)
        if op == ",":
            return [self.ev(kids[1])]
        if op == "-":
            v = S.to_number(self.ev(kids[1]), w)
            return -v
        if op == "+":
            return S.to_number(self.ev(kids[1]), w)
        if op == "-join":
            return "".join(S.to_string(e, w) for e in enumerate_value(self.ev(kids[1])))
        if op == "-split":
            v = self.ev(kids[1])
            return [x for s in enumerate_value(v) for x in S.to_string(s, w).split()]
        raise self.unmodelled(node, "unary operator " + op)

    def _incdec(self, node, delta, post):
        target = self.unwrap([c for c in node.children if c.is_named][0])
        old = self.ev(target)
        new = S.arith("+", old if old is not None else 0, delta, self.where(node))
        self.store(target, new)
        return old if post else new

    def ev_post_increment_expression(self, node):
        return self._incdec(node, 1, True)

    def ev_post_decrement_expression(self, node):
        return self._incdec(node, -1, True)

    def ev_pre_increment_expression(self, node):
        return self._incdec(node, 1, False)

    def ev_pre_decrement_expression(self, node):
        return self._incdec(node, -1, False)

    def ev_hash_literal_expression(self, node):
        """about_Hash_Tables: keys are case-insensitive; a duplicate key is a parse error."""
        h = Hashtable()
        body = [c for c in node.children if c.type == "hash_literal_body"]
        for entry in (body[0].children if body else []):
            if entry.type != "hash_entry":
                continue
            kids = self.named(entry)
            key_node, value_node = kids[0], kids[-1]
            kk = self.named(key_node)
            if len(kk) == 1 and kk[0].type == "simple_name":
                key = self.text(kk[0])
            elif len(kk) == 1:
                key = self.ev(kk[0])
            else:
                raise self.unmodelled(key_node, "hash key")
            if key in h:
                raise PSError("Duplicate keys '{}' are not allowed in hash literals.".format(key),
                              error_id="DuplicateKeyInHashLiteral", category="ParserError")
            h[key] = self.value_of(value_node)
        return h

    def ev_script_block_expression(self, node):
        sb = [c for c in node.children if c.type == "script_block"]
        return self.make_block(sb[0] if sb else None, node)

    def member_name(self, node):
        kids = self.named(node)
        if len(kids) == 1 and kids[0].type == "simple_name":
            return self.text(kids[0])
        if len(kids) == 1:
            return S.to_string(self.ev(kids[0]), self.where(node))
        raise self.unmodelled(node, "member name")

    def ev_member_access(self, node):
        obj, op, member = node.children[0], node.children[1], node.children[2]
        name = self.member_name(member)
        if op.type == "::":
            t = self.ev(obj)
            if not isinstance(t, TypeValue):
                raise self.unmodelled(node, "static member of a non-type")
            if t.full.lower() in ("console", "system.console") and name.lower() == "isinputredirected":
                return bool(getattr(self.host, "input_redirected", True))
            return S.static_member(t, name, self.where(node))
        if op.type != ".":
            raise self.unmodelled(node, "member operator " + op.type)
        return S.get_member(self.ev(obj), name, self.strict, self.where(node))

    def ev_invokation_expression(self, node):
        obj, op = node.children[0], node.children[1]
        member = [c for c in node.children if c.type == "member_name"][0]
        name = self.member_name(member)
        args = []
        al = [c for c in node.children if c.type == "argument_list"]
        if al:
            for c in al[0].children:
                if c.type == "argument_expression_list":
                    args = [self.ev(a) for a in c.children if a.is_named and a.type != "comment"]
        w = self.where(node)
        if op.type == "::":
            t = self.ev(obj)
            if not isinstance(t, TypeValue):
                raise self.unmodelled(node, "static method of a non-type")
            return S.static_method(t, name, args, w)
        if op.type != ".":
            raise self.unmodelled(node, "method operator " + op.type)
        return S.call_method(self.ev(obj), name, args, w, invoke=lambda b, a: self.invoke(b, a))

    def ev_element_access(self, node):
        kids = self.named(node)
        if len(kids) != 2:
            raise self.unmodelled(node, "index form")
        return S.get_index(self.ev(kids[0]), self.ev(kids[1]), self.strict, self.where(node))


def plain(v):
    """A value as plain Python data (for call logs)."""
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, (Hashtable, PSObject)):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, ScriptBlock):
        return "{" + v.text + "}"
    return v


# Set-StrictMode is the interpreter's own state (Microsoft.PowerShell.Core/Set-StrictMode).
@commands.command("Set-StrictMode", params=[commands.Param("Version", aliases=("v",)), commands.Param("Off", switch=True)],
                  source="Set-StrictMode (Microsoft.PowerShell.Core): -Version 1.0/2.0/3.0/Latest, -Off")
def _set_strict_mode(call):
    if call.get("Off"):
        if call.has("Version"):
            raise Unmodelled("{}: Set-StrictMode -Off with -Version".format(getattr(call, "where", "")))
        call.interp.strict = 0
        return []
    v = S.to_string(call.get("Version"))
    if v.lower() == "latest":
        call.interp.strict = 3
        return []
    m = re.match(r"^(\d+)(\.\d+)?$", v)
    if not m:
        raise Unmodelled("{}: Set-StrictMode -Version {}".format(getattr(call, "where", ""), v))
    call.interp.strict = min(int(m.group(1)), 3)
    if call.interp.strict == 0:
        raise Unmodelled("Set-StrictMode -Version {}".format(v))
    return []
