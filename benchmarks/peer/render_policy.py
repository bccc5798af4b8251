#!/usr/bin/python3
"""The peer postfix-config is measured against: PyYAML (C loader) plus a Jinja2 template.

  render_policy.py CONFIG.yaml OUT_FILE

Reads the same YAML configuration as `postfix-config render` and writes the TLS policy map the
way configuration management does it (Debian's python3-yaml and python3-jinja2). No validation.
"""
import os
import sys

import jinja2
import yaml


def main():
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        config = yaml.load(f, Loader=yaml.CSafeLoader)
    map_type, map_path = config["main"]["smtp_tls_policy_maps"].split(":", 1)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(os.path.dirname(os.path.abspath(__file__))),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    text = env.get_template("tls_policy.j2").render(
        map_type=map_type, map_path=map_path, policy=config["tls_policy"])
    with open(target, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
