"""Reads postconf -d outputs (each after a line "== VERSION PROGRAM") on stdin; see other-defaults.sh."""
import re, sys
tls_file, out = sys.argv[1], sys.argv[2]
tls = set()
for line in open(tls_file):
    m = re.match(r'^\[([^\]]+)\]', line.strip())
    if m:
        tls.add(m.group(1))
    m = re.match(r'^name\s*[:=]\s*(\S+)', line.strip())
    if m:
        tls.add(m.group(1))

# Stand-ins for values that come from the host or the build: never empty, never a $ reference.
HOST = {
    'myhostname': 'host.example', 'mydomain': 'example', 'mynetworks': '127.0.0.0/8 [::1]/128',
    'mail_version': '(the release)', 'mail_release_date': '(the release date)',
    'process_id': '0', 'process_name': 'postconf', 'service_name': 'postconf',
}

releases = []  # (version tuple, text, dict)
cur = None
for raw in sys.stdin:
    line = raw.rstrip('\n')
    if line.startswith('== '):
        text = line.split()[1]
        key = tuple(int(x) for x in re.findall(r'\d+', text)[:2])
        cur = {}
        releases.append((key, text, cur))
        continue
    name, sep, value = line.partition(' = ')
    if not sep:
        name, value = line.rstrip(' ='), ''
    cur[name] = value

releases.sort(key=lambda r: r[0])
lines = {}
for key, text, d in releases:
    if key in lines and lines[key][1] != d:
        print(f'two builds of {key[0]}.{key[1]} given; giving up', file=sys.stderr)
        sys.exit(2)
    lines[key] = (text, d)

host = set(HOST)
keys = sorted(lines)
for i in range(1, len(keys) - 1):
    a, b, c = lines[keys[i - 1]][1], lines[keys[i]][1], lines[keys[i + 1]][1]
    for n in b:
        if n in a and n in c and a[n] == c[n] and b[n] != a[n] and '$' not in b[n] + a[n]:
            host.add(n)  # one build differs from the builds on both sides: a build choice
names = sorted({n for _, d in lines.values() for n in d} - tls, key=lambda s: s.encode())
rows = []
for n in names:
    values = [d[n] for _, d in lines.values() if n in d]
    if n in host or (values and all(v.startswith('/') and '$' not in v for v in values)):
        stand_in = HOST.get(n) or next((d[n] for _, d in lines.values() if n in d), '')
        first = next(k for k in keys if n in lines[k][1])
        rows.append(f'{n} {first[0]}.{first[1]} (host) {stand_in}'.rstrip())
        continue
    last = None
    for k in keys:
        d = lines[k][1]
        value = d.get(n)
        if value is None:
            if last is not None:
                rows.append(f'{n} {k[0]}.{k[1]} (none)')
                last = None
            continue
        if value != last:
            rows.append(f'{n} {k[0]}.{k[1]} {value}'.rstrip())
            last = value

given = ', '.join(lines[k][0] for k in keys)
with open(out, 'w') as f:
    f.write(f'''# The defaults of the parameters outside TLS, as postconf -d prints them (with an empty main.cf) in
# {given}; written by tools/catalog/other-defaults.sh, do not edit by hand.
# Format: "name SINCE VALUE...", one line per value, in release order: the value from release line SINCE
# on (an empty VALUE is an empty default; "(none)": the parameter is gone from that line on). Lines without
# a release of their own take the line before (3.5 that of 3.4, 3.9 that of 3.8). "name SINCE (host)
# STAND-IN" is a default that depends on the host or the build (myhostname, mynetworks, directories):
# never empty, its text known only on the mail host; STAND-IN is a neutral value of the same shape.
# Read by the expansions that must follow postconf (reference loops, ${{name?...}} branches), never by the
# TLS rules, which treat these values as unknown. Releases before the first line here: no data.
''')
    for r in rows:
        f.write(r + '\n')
print(f'{len(rows)} lines for {len(names)} parameters ({len(host)} host-dependent) from {given}', file=sys.stderr)
