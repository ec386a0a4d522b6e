#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Keep Documentation/netlink/specs/ngre.yaml in step with uapi/linux/ngre.h.

The header is the ABI; the YNL spec is its machine-readable description.
This renders, from the spec, the C identifiers and values the kernel's YNL
generator (tools/net/ynl/ynl-gen-c.py --mode uapi) would write, and fails
unless they are exactly those of the header:

  - the family name, version and multicast group #defines;
  - every enum member (commands, attributes, definitions, the __X_MAX /
    X_MAX trailers) in both, with the same value and in the same enum;
  - attribute types agree with the header's type comments (u8, u16, u32,
    u64, string, nest, be32 = u32 big-endian, "enum NAME", "PREFIX_*"),
    and an attribute is multi-attr in the spec exactly when its comment
    says "repeated".

It also checks that the spec is well formed for its protocol level
(allowed keys, references between sets, ops and groups).

  tools/ynl-check.py [--header H] [--spec S]   exit 0 ok, 1 mismatch
  tools/ynl-check.py --selftest                 prove the checks can fail

Exit status 2: the input cannot be read (or python3-yaml is missing).
"""

import argparse
import ast
import copy
import os
import re
import sys

try:
    import yaml
except ImportError:
    print('ynl-check: the Python yaml module is missing '
          '(Debian: apt-get install python3-yaml)', file=sys.stderr)
    sys.exit(2)

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = os.path.join(TOP, 'uapi', 'linux', 'ngre.h')
SPEC = os.path.join(TOP, 'Documentation', 'netlink', 'specs', 'ngre.yaml')


class InputError(Exception):
    """The header or the spec cannot be parsed."""


def c_upper(name):
    return name.upper().replace('-', '_')


def c_lower(name):
    return name.lower().replace('-', '_')


# ---- the header -------------------------------------------------------------

_EXPR_OPS = {
    ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b, ast.LShift: lambda a, b: a << b,
    ast.RShift: lambda a, b: a >> b, ast.BitOr: lambda a, b: a | b,
    ast.BitAnd: lambda a, b: a & b, ast.BitXor: lambda a, b: a ^ b,
}


def c_int_expr(text, names):
    """Value of a C integer constant expression over known @names."""
    expr = re.sub(r'\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]+\b', r'\1', text.strip())
    expr = re.sub(r'\b0([0-7]+)\b', r'0o\1', expr)

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        if isinstance(node, ast.Name) and isinstance(names.get(node.id), int):
            return names[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _EXPR_OPS:
            return _EXPR_OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
            return ~ev(node.operand)
        raise ValueError(text)
    try:
        return ev(ast.parse(expr, mode='eval'))
    except (SyntaxError, ValueError):
        raise InputError(f'cannot evaluate "{text.strip()}"') from None


def strip_comments(text):
    """The text with comments blanked (offsets kept), and the comments as
    (line, text) pairs; string literals are left alone."""
    out, comments = [], []
    pos = 0
    tok = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"', re.S)
    for m in tok.finditer(text):
        out.append(text[pos:m.start()])
        s = m.group(0)
        if s.startswith('"'):
            out.append(s)
        else:
            line = text.count('\n', 0, m.start()) + 1
            body = s[2:-2] if s.startswith('/*') else s[2:]
            body = ' '.join(x.strip(' \t*') for x in body.split('\n'))
            comments.append((line, body.strip()))
            out.append(re.sub(r'[^\n]', ' ', s))
        pos = m.end()
    out.append(text[pos:])
    return ''.join(out), comments


def parse_header(text):
    """#defines and enums of a uapi header.

    Returns (defines, enums): defines maps a name to an int or a str (a
    string literal; other values are kept as text), enums is a list of
    (enum name or None, [(member, value, comment), ...]).  A member's
    comment is the one starting on its line.
    """
    code, comments = strip_comments(text)
    by_line = dict(comments)
    names = {}
    defines = {}
    for m in re.finditer(r'^[ \t]*#[ \t]*define[ \t]+(\w+)[ \t]+(\S[^\n]*)$',
                         code.replace('\\\n', '  '), re.M):
        name, value = m.group(1), m.group(2).strip()
        if re.fullmatch(r'"(?:\\.|[^"\\])*"', value):
            defines[name] = value[1:-1]
        else:
            try:
                defines[name] = c_int_expr(value, names)
                names[name] = defines[name]
            except InputError:
                defines[name] = value
    enums = []
    for m in re.finditer(r'\benum\b\s*(\w+)?\s*\{([^}]*)\}\s*;', code):
        ename, body, base = m.group(1), m.group(2), m.start(2)
        members, value, pos = [], -1, 0
        for part in body.split(','):
            start = base + pos + len(part) - len(part.lstrip())
            pos += len(part) + 1
            part = part.strip()
            if not part:
                continue
            em = re.fullmatch(r'(\w+)\s*(?:=\s*(.+))?', part, re.S)
            if not em:
                raise InputError(f'enum {ename or "(anonymous)"}: cannot '
                                 f'parse "{part}"')
            member = em.group(1)
            value = (c_int_expr(em.group(2), names) if em.group(2)
                     else value + 1)
            names[member] = value
            line = code.count('\n', 0, start) + 1
            members.append((member, value, by_line.get(line, '')))
        enums.append((ename, members))
    return defines, enums


# ---- the spec: structure ---------------------------------------------------

# Keys each protocol level allows (Documentation/netlink/genetlink*.yaml);
# genetlink-c adds to genetlink, genetlink-legacy to genetlink-c.
_KEYS = {
    'top': ('attribute-sets definitions doc kernel-family mcast-groups name '
            'operations protocol uapi-header',
            'c-family-name c-version-name cmd-cnt-name cmd-max-name '
            'max-by-define', 'kernel-policy version'),
    'definition': ('doc entries header name render-max scope type value '
                   'value-start', 'enum-name name-prefix', 'members'),
    'entry': ('doc name value', '', ''),
    'attribute-set': ('attributes doc enum-name name name-prefix subset-of',
                      'attr-cnt-name attr-max-name', ''),
    'attribute': ('byte-order checks display-hint doc enum enum-as-flags '
                  'multi-attr name nested-attributes sub-type type '
                  'type-value value', 'name-prefix', 'struct'),
    'checks': ('exact-len flags-mask max max-len min min-len',
               'unterminated-ok', ''),
    'operations': ('async-enum async-prefix enum-model enum-name list '
                   'name-prefix', '', 'fixed-header'),
    'operation': ('attribute-set config-cond do doc dont-validate dump event '
                  'flags mcgrp name notify value', '', 'fixed-header'),
    'do': ('post pre reply request', '', ''),
    'message': ('attributes', '', 'value'),
    'mcast-groups': ('list', '', ''),
    'mcast-group': ('flags name', 'c-define-name', ''),
    'flags': ('admin-perm', '', 'uns-admin-perm'),
    'type': ('binary flag indexed-array nest nest-type-value pad s32 s64 '
             'sint string u16 u32 u64 u8 uint unused', '', 'bitfield32'),
}
_LEVELS = ('genetlink', 'genetlink-c', 'genetlink-legacy')


def _allowed(what, proto):
    n = _LEVELS.index(proto) + 1
    return set(' '.join(_KEYS[what][:n]).split())


def check_structure(spec, err):
    """Keys allowed at the spec's protocol level; references resolve."""
    if not isinstance(spec, dict):
        err('spec: not a mapping')
        return
    proto = spec.get('protocol', 'genetlink')
    if proto not in _LEVELS:
        err(f'protocol: "{proto}" is not a genetlink level')
        return

    def keys(obj, what, where, required=()):
        if not isinstance(obj, dict):
            err(f'{where}: not a mapping')
            return False
        for k in sorted(set(obj) - _allowed(what, proto)):
            err(f'{where}: key "{k}" not allowed in protocol {proto}')
        for k in required:
            if k not in obj:
                err(f'{where}: "{k}" missing')
        return True

    keys(spec, 'top', 'spec', ('name', 'doc', 'attribute-sets', 'operations'))
    consts = {}
    for i, d in enumerate(spec.get('definitions') or []):
        where = f'definitions[{d.get("name", i) if isinstance(d, dict) else i}]'
        if not keys(d, 'definition', where, ('type', 'name')):
            continue
        consts[d.get('name')] = d
        for e in d.get('entries') or []:
            if isinstance(e, dict):
                keys(e, 'entry', f'{where} entry', ('name',))
    sets = {}
    for i, s in enumerate(spec.get('attribute-sets') or []):
        where = f'attribute-sets[{s.get("name", i) if isinstance(s, dict) else i}]'
        if keys(s, 'attribute-set', where, ('name', 'attributes')):
            sets[s.get('name')] = s
    for sname, s in sets.items():
        seen = set()
        for a in s.get('attributes') or []:
            where = f'attribute-sets[{sname}] {a.get("name") if isinstance(a, dict) else a}'
            if not keys(a, 'attribute', where,
                        ('name',) if 'subset-of' in s else ('name', 'type')):
                continue
            if a.get('name') in seen:
                err(f'{where}: defined twice')
            seen.add(a.get('name'))
            if 'type' in a and a['type'] not in _allowed('type', proto):
                err(f'{where}: type "{a["type"]}" not allowed in protocol {proto}')
            if 'checks' in a:
                keys(a['checks'], 'checks', f'{where} checks')
            if 'nested-attributes' in a and a['nested-attributes'] not in sets:
                err(f'{where}: nested-attributes "{a["nested-attributes"]}" '
                    'is no attribute set')
            if 'enum' in a and (consts.get(a['enum']) or {}).get('type') \
                    not in ('enum', 'flags'):
                err(f'{where}: enum "{a["enum"]}" is no enum or flags '
                    'definition')
        if 'subset-of' in s and s['subset-of'] not in sets:
            err(f'attribute-sets[{sname}]: subset-of "{s["subset-of"]}" '
                'is no attribute set')
    groups = set()
    mcg = spec.get('mcast-groups') or {'list': []}
    if not keys(mcg, 'mcast-groups', 'mcast-groups', ('list',)):
        mcg = {}
    for g in mcg.get('list') or []:
        if keys(g, 'mcast-group', f'mcast-groups[{g.get("name") if isinstance(g, dict) else g}]',
                ('name',)):
            groups.add(g.get('name'))
            for f in g.get('flags') or []:
                if f not in _allowed('flags', proto):
                    err(f'mcast-groups[{g.get("name")}]: flag "{f}" not '
                        f'allowed in protocol {proto}')
    ops = spec.get('operations')
    if not keys(ops, 'operations', 'operations', ('list',)):
        return
    for op in ops.get('list') or []:
        where = f'operations[{op.get("name") if isinstance(op, dict) else op}]'
        if not keys(op, 'operation', where, ('name', 'doc')):
            continue
        for f in op.get('flags') or []:
            if f not in _allowed('flags', proto):
                err(f'{where}: flag "{f}" not allowed in protocol {proto}')
        if 'mcgrp' in op and op['mcgrp'] not in groups:
            err(f'{where}: mcgrp "{op["mcgrp"]}" is no multicast group')
        aset = sets.get(op.get('attribute-set'))
        if 'attribute-set' in op and aset is None:
            err(f'{where}: attribute-set "{op["attribute-set"]}" is no '
                'attribute set')
        for mode in ('do', 'dump'):
            if mode not in op:
                continue
            if not keys(op[mode], 'do', f'{where} {mode}'):
                continue
            for msg in ('request', 'reply'):
                if msg not in op[mode]:
                    continue
                if not keys(op[mode][msg], 'message', f'{where} {mode} {msg}'):
                    continue
                names = {a.get('name') for a in (aset or {}).get('attributes') or []
                         if isinstance(a, dict)}
                for a in op[mode][msg].get('attributes') or []:
                    if a not in names:
                        err(f'{where} {mode} {msg}: attribute "{a}" is not in '
                            f'attribute set "{op.get("attribute-set")}"')


# ---- the spec: rendered C names ---------------------------------------------

class Item:
    """One C identifier the spec renders."""

    def __init__(self, value, enum, origin, attr=None):
        self.value = value	# int, or str for a string #define
        self.enum = enum	# "enum NAME", "enum (anonymous)" or "#define"
        self.origin = origin	# where in the spec, for messages
        self.attr = attr	# the attribute's yaml, for type checks


def render_spec(spec):
    """The C identifiers ynl-gen-c --mode uapi would write for @spec, as a
    dict name -> Item, and the enum type names it would declare."""
    items, enum_names = {}, []
    name = spec['name']
    ident = name.replace('-', '_')

    def add(cname, value, enum, origin, attr=None):
        if cname in items:
            raise InputError(f'{cname}: rendered twice ({items[cname].origin} '
                             f'and {origin})')
        items[cname] = Item(value, enum, origin, attr)

    def enum_type(obj, default=None):
        if 'enum-name' in obj:
            return f'enum {c_lower(obj["enum-name"])}' if obj['enum-name'] else None
        return default

    def declare(etype):
        etype = etype or 'enum (anonymous)'
        enum_names.append(etype)
        return etype

    add(c_upper(spec.get('c-family-name', f'{name}-family-name')), name,
        '#define', 'family name')
    add(c_upper(spec.get('c-version-name', f'{name}-family-version')),
        spec.get('version', 1), '#define', 'family version')

    consts = {}
    for d in spec.get('definitions') or []:
        consts[d['name']] = d
        if d.get('header') or d.get('scope', 'uapi') != 'uapi':
            continue
        where = f'definitions[{d["name"]}]'
        if d['type'] == 'const':
            add(c_upper(f'{ident}-{d["name"]}'), d['value'], '#define', where)
            continue
        if d['type'] not in ('enum', 'flags'):
            continue
        etype = declare(enum_type(d, f'enum {c_lower(ident + "-" + d["name"])}'))
        pfx = d.get('name-prefix', f'{ident}-{d["name"]}-')
        value, mask = None, 0
        for e in d.get('entries') or []:
            e = e if isinstance(e, dict) else {'name': e}
            value = e['value'] if 'value' in e else (
                d.get('value-start', 0) if value is None else value + 1)
            user = 1 << value if d['type'] == 'flags' else value
            mask |= user
            add(c_upper(pfx + e['name']), user, etype, f'{where} {e["name"]}')
        if d.get('render-max'):
            if d['type'] == 'flags':
                add(c_upper(pfx + 'mask'), mask, etype, f'{where} render-max')
            else:
                last = -1 if value is None else value
                add(c_upper(f'__{pfx}max'), last + 1, etype, f'{where} render-max')
                add(c_upper(f'{pfx}max'), last, etype, f'{where} render-max')

    for s in spec.get('attribute-sets') or []:
        if 'subset-of' in s:
            continue
        where = f'attribute-sets[{s["name"]}]'
        if 'name-prefix' in s:
            pfx = s['name-prefix']
        elif s['name'] == name:
            pfx = f'{ident}-a-'
        else:
            pfx = f'{ident}-a-{s["name"]}-'
        etype = declare(enum_type(s))
        nxt = 1		# as nlspec.py: attributes start at 1
        for a in s.get('attributes') or []:
            value = a.get('value', nxt)
            nxt = value + 1
            add(c_upper(a.get('name-prefix', pfx) + a['name']), value, etype,
                f'{where} {a["name"]}', a)
        by_define = spec.get('max-by-define', False)
        add(c_upper(s.get('attr-cnt-name', f'__{pfx}max')), nxt, etype,
            f'{where} count')
        add(c_upper(s.get('attr-max-name', f'{pfx}max')), nxt - 1,
            '#define' if by_define else etype, f'{where} max')

    ops = spec['operations']
    if ops.get('enum-model', 'unified') != 'unified':
        raise InputError('operations: only enum-model unified is supported')
    pfx = ops.get('name-prefix', f'{name}-cmd-')
    apfx = ops.get('async-prefix', pfx)
    separate = 'async-prefix' in ops
    etype = declare(enum_type(ops))
    if separate:	# notifications in their own enum, named by async-enum
        atype = declare(f'enum {c_lower(ops["async-enum"])}'
                        if ops.get('async-enum') else None)
    nxt, cnt = 1, 0
    for op in ops['list']:
        value = op.get('value', nxt)
        nxt = value + 1
        if separate and ('notify' in op or 'event' in op):
            add(c_upper(apfx + op['name']), value, atype,
                f'operations[{op["name"]}]')
            continue
        add(c_upper(pfx + op['name']), value, etype, f'operations[{op["name"]}]')
        cnt = value + 1
    add(c_upper(spec.get('cmd-cnt-name', f'__{pfx}max')), cnt, etype,
        'operations count')
    add(c_upper(spec.get('cmd-max-name', f'{pfx}max')), cnt - 1,
        '#define' if spec.get('max-by-define', False) else etype,
        'operations max')

    for g in (spec.get('mcast-groups') or {}).get('list') or []:
        add(c_upper(g.get('c-define-name', f'{ident}-mcgrp-{g["name"]}')),
            g['name'], '#define', f'mcast-groups[{g["name"]}]')
    return items, enum_names, consts


# ---- comparison ---------------------------------------------------------------

_HDR_TYPES = ('u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64',
              'be16', 'be32', 'be64', 'string', 'nest', 'flag', 'binary')


def check_multi(cname, comment, it, err):
    """multi-attr in the spec exactly when the header says "repeated"."""
    if it.attr is None:
        return 0
    rep = re.search(r'\brepeated\b', comment) is not None
    multi = bool(it.attr.get('multi-attr'))
    if rep != multi:
        err(f'{cname}: {"repeated" if rep else "not repeated"} in the header, '
            f'{"" if multi else "not "}multi-attr in the spec ({it.origin})')
    return 1


def check_type(cname, comment, it, spec, consts, err):
    """The attribute's type against the header's comment on @cname."""
    m = re.match(r'(\w+)\b', comment)
    if not m or m.group(1) not in _HDR_TYPES or it.attr is None:
        return 0
    want = m.group(1)
    a = it.attr
    have = a.get('type')
    big = a.get('byte-order') == 'big-endian'
    if want.startswith('be'):
        ok = have == 'u' + want[2:] and big
    else:
        ok = have == want and not big
    shown = f'{have}{" big-endian" if big else ""}'
    if not ok:
        err(f'{cname}: type {want} in the header, {shown} in the spec '
            f'({it.origin})')
    n = 1
    em = re.search(r'\benum\s+(\w+)', comment)
    if em:
        n += 1
        sets = {s['name']: s for s in spec.get('attribute-sets') or []}
        ref = None
        if 'nested-attributes' in a and a['nested-attributes'] in sets:
            ref = sets[a['nested-attributes']].get('enum-name')
        elif 'enum' in a and a['enum'] in consts:
            d = consts[a['enum']]
            ref = d.get('enum-name', f'{spec["name"]}-{d["name"]}')
        if ref is None or c_lower(ref) != em.group(1):
            err(f'{cname}: the header refers to enum {em.group(1)}, the spec '
                f'({it.origin}) to {"enum " + c_lower(ref) if ref else "none"}')
    pm = re.search(r'\b([A-Z][A-Z0-9_]*_)\*', comment)
    if pm:
        n += 1
        d = consts.get(a.get('enum'))
        pfx = d and c_upper(d.get('name-prefix', f'{spec["name"]}-{d["name"]}-'))
        if pfx != pm.group(1):
            err(f'{cname}: the header refers to {pm.group(1)}*, the spec '
                f'({it.origin}) to {pfx + "*" if pfx else "no enum"}')
    return n


def compare(header_text, spec, hname='uapi/linux/ngre.h'):
    """All mismatches between the header and the spec, and how many items
    were compared."""
    errors = []
    err = errors.append
    try:
        check_structure(spec, err)
    except (KeyError, TypeError, AttributeError) as e:
        err(f'spec: malformed ({type(e).__name__}: {e})')
    if errors:
        return errors, 0
    defines, enums = parse_header(header_text)
    try:
        items, spec_enums, consts = render_spec(spec)
    except (KeyError, TypeError, AttributeError) as e:
        return [f'spec: cannot render the C names ({type(e).__name__}: {e})'], 0

    uapi = spec.get('uapi-header', f'linux/{spec["name"]}.h')
    if not os.path.normpath(hname).endswith(os.path.normpath(uapi)):
        err(f'uapi-header: "{uapi}" in the spec, but the header is {hname}')
    hdr = {}		# in the header's order
    for k, v in defines.items():
        hdr[k] = (v, '#define', '')
    for ename, members in enums:
        etype = f'enum {ename}' if ename else 'enum (anonymous)'
        for member, value, comment in members:
            if member in hdr:
                err(f'{member}: defined twice in {hname}')
            hdr[member] = (value, etype, comment)

    n = 0
    for cname in list(hdr) + [c for c in items if c not in hdr]:
        n += 1
        if cname not in items:
            v, etype, _ = hdr[cname]
            err(f'{cname}: in {hname} ({etype}, {v!r}) but not in the spec')
            continue
        it = items[cname]
        if cname not in hdr:
            err(f'{cname}: in the spec ({it.origin}, {it.value!r}) but not '
                f'in {hname}')
            continue
        v, etype, comment = hdr[cname]
        if v != it.value:
            err(f'{cname}: {v!r} in {hname}, {it.value!r} in the spec '
                f'({it.origin})')
        # A YNL const renders as a #define: accept it for an enum member.
        if etype != it.enum and '#define' not in (etype, it.enum):
            err(f'{cname}: in {etype} in {hname}, in {it.enum} in the spec '
                f'({it.origin})')
        n += check_type(cname, comment, it, spec, consts, err)
        n += check_multi(cname, comment, it, err)

    hdr_enums = {f'enum {e}' if e else 'enum (anonymous)' for e, _ in enums}
    for etype in sorted(hdr_enums ^ set(spec_enums)):
        n += 1
        where = hname if etype in hdr_enums else 'the spec'
        err(f'{etype}: declared in {where} only')
    return errors, n + len(hdr_enums & set(spec_enums))


def load(header, spec_path):
    try:
        with open(header, encoding='utf-8') as f:
            text = f.read()
        with open(spec_path, encoding='utf-8') as f:
            spec = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise InputError(str(e)) from None
    return text, spec


# ---- selftest -----------------------------------------------------------------

def _find(seq, name):
    return next(x for x in seq if x.get('name') == name)


def _attrs(spec, set_name):
    return _find(spec['attribute-sets'], set_name)['attributes']


def _ops(spec):
    return spec['operations']['list']


def _swap_entries(spec):
    e = _find(spec['definitions'], 'local-mode')['entries']
    e[0], e[1] = e[1], e[0]


def _drop_attr(spec):
    a = _attrs(spec, 'tunnel')
    a.remove(_find(a, 'mtu'))


def _retype(spec):
    _find(_attrs(spec, 'tunnel'), 'ifindex')['type'] = 'u16'


def _host_order(spec):
    del _find(_attrs(spec, 'tunnel'), 'remote')['byte-order']


def _op_value(spec):
    _find(_ops(spec), 'config-get')['value'] = 20


def _wrong_nest(spec):
    _find(_attrs(spec, 'ngre'), 'tunnel')['nested-attributes'] = 'config'


def _extra_op(spec):
    _ops(spec).append({'name': 'tunnel-flush', 'doc': 'x'})


def _bad_key(spec):
    spec['protocol'] = 'genetlink'


def _bad_ref(spec):
    _find(_ops(spec), 'tunnel-new')['mcgrp'] = 'monitor'


def _set_prefix(spec):
    _find(spec['attribute-sets'], 'tstats')['name-prefix'] = 'ngre-tstat-a-'


def _rename_group(spec):
    spec['mcast-groups']['list'][0]['name'] = 'monitor'
    for op in _ops(spec):
        if op.get('mcgrp') == 'events':
            op['mcgrp'] = 'monitor'


def _uapi_header(spec):
    spec['uapi-header'] = 'linux/ngre_netlink.h'


def _enum_ref(spec):
    _find(_attrs(spec, 'tunnel'), 'down-reason')['enum'] = 'local-mode'


def _single(spec):
    del _find(_attrs(spec, 'service'), 'prefix')['multi-attr']


def _multi(spec):
    _find(_attrs(spec, 'tunnel'), 'ifname')['multi-attr'] = True


def _value_start(spec):
    del _find(spec['definitions'], 'flow-action')['value-start']


def _sport_order(spec):
    del _find(_attrs(spec, 'flow'), 'sport')['byte-order']


# (what, mutation of the spec or of the header text, expected in a message)
MUTATIONS = [
    ('attribute dropped', _drop_attr, 'NGRE_TUNNEL_A_MTU:'),
    ('enum values swapped', _swap_entries, 'NGRE_LOCAL_INHERIT: 0 in'),
    ('attribute type changed', _retype, 'NGRE_TUNNEL_A_IFINDEX: type u32'),
    ('be32 without big-endian', _host_order, 'NGRE_TUNNEL_A_REMOTE: type be32'),
    ('command value changed', _op_value, 'NGRE_CMD_CONFIG_GET: 12 in'),
    ('wrong nested set', _wrong_nest, 'refers to enum ngre_tunnel_attr'),
    ('command added', _extra_op, 'NGRE_CMD_TUNNEL_FLUSH: in the spec'),
    ('family renamed', lambda s: s.update(name='ngre2'), 'NGRE_GENL_NAME:'),
    ('version changed', lambda s: s.update(version=2), 'NGRE_GENL_VERSION:'),
    ('group renamed', _rename_group, 'NGRE_MCGRP_EVENTS: in'),
    ('protocol too low', _bad_key, 'not allowed in protocol genetlink'),
    ('dangling mcgrp', _bad_ref, 'mcgrp "monitor" is no multicast group'),
    ('set prefix changed', _set_prefix, '__NGRE_TSTATS_A_MAX: in'),
    ('wrong enum reference', _enum_ref, 'refers to enum ngre_down_reason'),
    ('uapi-header changed', _uapi_header, 'uapi-header:'),
    ('multi-attr dropped', _single, 'NGRE_SERVICE_A_PREFIX: repeated'),
    ('multi-attr added', _multi, 'NGRE_TUNNEL_A_IFNAME: not repeated'),
    ('value-start dropped', _value_start, 'NGRE_ACTION_TTL_DEC: 1 in'),
    ('be16 without big-endian', _sport_order, 'NGRE_FLOW_A_SPORT: type be16'),
    ('header: attribute added', ('NGRE_CONFIG_A_TUNNELS,',
                                 'NGRE_CONFIG_A_TUNNELS,\n\tNGRE_CONFIG_A_X,'),
     'NGRE_CONFIG_A_X: in'),
    ('header: value pinned', ('NGRE_CMD_STATS_GET,', 'NGRE_CMD_STATS_GET = 15,'),
     'NGRE_CMD_STATS_GET: 15 in'),
    ('header: type comment', ('NGRE_TUNNEL_A_MTU,\t\t/* u32',
                              'NGRE_TUNNEL_A_MTU,\t\t/* u16'),
     'NGRE_TUNNEL_A_MTU: type u16'),
    ('header: repeated dropped', ('enum ngre_prefix_attr; repeated',
                                  'enum ngre_prefix_attr; listed'),
     'NGRE_SERVICE_A_PREFIX: not repeated'),
]

_PARSER_SAMPLE = '''
#define X_NAME "x" /* a "name" */
#define X_VERSION 0x2
enum x_e {	/* comment { with , commas } */
	X_A,		/* u8 first */
	X_B = 0x10,	/* u16, spanning
			 * two lines */
	X_C,
	// a line comment, X_NOT,
	X_D = X_B << 2,
	__X_MAX,
	X_MAX = __X_MAX - 1
};
enum { Y_A = 010, Y_B };
'''


def selftest(header, spec_path):
    failed = []
    defines, enums = parse_header(_PARSER_SAMPLE)
    want = (
        {'X_NAME': 'x', 'X_VERSION': 2},
        [('x_e', [('X_A', 0, 'u8 first'), ('X_B', 16, 'u16, spanning two lines'),
                  ('X_C', 17, ''), ('X_D', 64, ''), ('__X_MAX', 65, ''),
                  ('X_MAX', 64, '')]),
         (None, [('Y_A', 8, ''), ('Y_B', 9, '')])])
    if (defines, enums) != want:
        failed.append(f'header parser: got {defines} {enums}')

    text, spec = load(header, spec_path)
    errors, _ = compare(text, spec)
    if errors:
        failed.append('the unchanged spec does not pass: ' + errors[0])
    for what, mutate, expect in MUTATIONS:
        s, t = copy.deepcopy(spec), text
        if callable(mutate):
            mutate(s)
        else:
            if mutate[0] not in t:
                failed.append(f'{what}: "{mutate[0]}" not in the header')
                continue
            t = t.replace(mutate[0], mutate[1], 1)
        try:
            errors, _ = compare(t, s)
        except InputError as e:
            errors = [str(e)]
        if not any(expect in e for e in errors):
            failed.append(f'{what}: not caught (wanted "{expect}", got '
                          f'{errors[:2] or "no error"})')
    for f in failed:
        print(f'ynl-check: selftest: {f}')
    if failed:
        return 1
    print(f'ynl-check: selftest ok ({len(MUTATIONS)} mutations caught)')
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--header', default=HEADER)
    ap.add_argument('--spec', default=SPEC)
    ap.add_argument('--selftest', action='store_true',
                    help='check that mutated specs and headers are caught')
    args = ap.parse_args()
    try:
        if args.selftest:
            return selftest(args.header, args.spec)
        text, spec = load(args.header, args.spec)
        errors, n = compare(text, spec, os.path.relpath(args.header, TOP)
                            if args.header.startswith(TOP) else args.header)
    except InputError as e:
        print(f'ynl-check: {e}', file=sys.stderr)
        return 2
    for e in errors:
        print(f'ynl-check: {e}')
    if errors:
        print(f'ynl-check: FAIL ({len(errors)} '
              f'mismatch{"es" if len(errors) > 1 else ""})')
        return 1
    print(f'ynl-check: ok ({n} items compared)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
