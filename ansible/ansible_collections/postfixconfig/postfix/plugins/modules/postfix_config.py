#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: PostfixConfig contributors
# MIT License (see the LICENSE expression of the PostfixConfig packages)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: postfix_config
short_description: Apply a validated Postfix TLS configuration, idempotently
version_added: "0.1.0"
description:
  - Applies a PostfixConfig configuration to a Postfix config folder on the managed host by running
    C(postfix-config apply --format json) there. The configuration is the YAML shape of postfix-config
    (C(postfix_version), C(profile), C(main), C(services), C(tls_policy), C(sni), ...), given as a
    dictionary (I(config)) or as a file on the managed host (I(src)).
  - The configuration is validated and rendered for the Postfix release it names in C(postfix_version)
    (the installed release when it names none); the installed Postfix is the final judge, as
    C(postfix-config apply) stages the new files and runs C(postconf -n) and C(postfix check) on them
    before anything is moved into place.
  - main.cf and master.cf are merged (comments and unrelated lines are kept), the policy and SNI tables
    are written and compiled with the C(postmap) command their type needs, everything is moved into place
    together, and a running Postfix is reloaded (or restarted, for C(inet_interfaces) and C(inet_protocols)).
  - The task reports C(changed=false) when the folder already holds the configuration; then nothing is
    written, compiled or reloaded.
  - A configuration that does not validate, a key or certificate file problem, or a refusal by
    C(postconf) or C(postfix check) fails the task with the diagnostics' messages, and nothing on the
    host is changed.
  - All validation, rendering and planning happen in C(postfix-config); this module only runs it and
    returns its plan and diagnostics.
options:
  config:
    description:
      - The configuration as a dictionary, in the YAML shape of postfix-config.
      - It is written to a temporary file (mode 0600) on the managed host, passed to
        C(postfix-config apply) and removed afterwards.
      - Quote the release number in C(postfix_version), as C("3.10"); unquoted, YAML reads C(3.10) as the number 3.1.
      - Exactly one of I(config) and I(src) is required.
    type: dict
  src:
    description:
      - The path of a YAML configuration file on the managed host.
      - Exactly one of I(config) and I(src) is required.
    type: path
  config_dir:
    description:
      - The Postfix config folder to apply to (its main.cf, master.cf and maps).
    type: path
    default: /etc/postfix
  reload:
    description:
      - Reload (or restart) Postfix when something changed and Postfix is running.
      - With C(false) the files are written and the maps compiled, and Postfix keeps its old settings
        until it is reloaded.
    type: bool
    default: true
  check_files:
    description:
      - Check the key and certificate files the configuration names before anything is changed
        (the key comes first and matches its certificate, the names are covered, expiry); errors fail the task.
    type: bool
    default: true
  executable:
    description:
      - The postfix-config program on the managed host, as a name looked up on C(PATH) (and in
        C(/usr/local/bin)) or as an absolute path.
      - The role C(postfixconfig.postfix.install) installs it and sets the fact C(postfixconfig_executable).
    type: str
    default: postfix-config
extends_documentation_fragment:
  - action_common_attributes
attributes:
  check_mode:
    support: full
    details: C(postfix-config apply --dry-run) plans the apply and changes nothing; the task reports what would change.
  diff_mode:
    support: full
    details: The text before and after of each file that changes (main.cf, master.cf, the policy and SNI table sources).
  platform:
    platforms: posix
notes:
  - The plan reports every file the apply manages; in diff mode the text of each changed file is returned
    as a diff and left out of I(plan). SNI table sources name key files but hold no key material; the
    compiled SNI database, which does, is never shown.
  - Diagnostics of a configuration given as I(config) name the file C(config); their line and column
    refer to the dictionary written as indented JSON.
requirements:
  - postfix-config (the PostfixConfig.Cli .NET tool, or a published build of it) on the managed host.
  - Postfix (C(postconf), C(postfix), C(postmap)) on the managed host.
author:
  - PostfixConfig contributors
'''

EXAMPLES = r'''
- name: Apply the mail TLS configuration (validated for Postfix 3.7)
  postfixconfig.postfix.postfix_config:
    config:
      postfix_version: "3.7"
      profile: intermediate
      main:
        smtpd_tls_chain_files:
          - /etc/letsencrypt/live/mx.example.org/privkey.pem
          - /etc/letsencrypt/live/mx.example.org/fullchain.pem
        smtp_tls_policy_maps: lmdb:${config_directory}/tls_policy
      tls_policy:
        example.net: encrypt

- name: Apply a YAML file that is already on the host, to a second instance, without reloading
  postfixconfig.postfix.postfix_config:
    src: /etc/postfix-config/mail.yaml
    config_dir: /etc/postfix-out
    reload: false

- name: What would change (run the play with --check --diff to see main.cf's diff)
  postfixconfig.postfix.postfix_config:
    src: /etc/postfix-config/mail.yaml
  check_mode: true
  register: planned

- name: Show the parameters that would change
  ansible.builtin.debug:
    msg: "{{ planned.plan.changes | map(attribute='parameter') | list }}"

- name: Use the postfix-config the install role put in place
  postfixconfig.postfix.postfix_config:
    src: /etc/postfix-config/mail.yaml
    executable: "{{ postfixconfig_executable }}"
'''

RETURN = r'''
changed:
  description: Whether anything was (or, in check mode, would be) written or compiled.
  returned: always
  type: bool
plan:
  description:
    - What the apply does, as C(postfix-config apply --format json) prints it (without the file texts,
      which go into the diff).
  returned: when the configuration was planned (not when it was refused)
  type: dict
  contains:
    config_directory:
      description: The config folder, as an absolute path.
      type: str
      sample: /etc/postfix
    postfix_version:
      description: The Postfix release the configuration was validated and rendered for.
      type: str
      sample: 3.7.22
    dry_run:
      description: Whether this was a dry run (check mode).
      type: bool
    changed:
      description: Whether anything is written or compiled.
      type: bool
    changes:
      description: The parameters that change; C(file) is main.cf or master.cf, C(kind) added, replaced or commentedout.
      type: list
      elements: dict
      sample: [{file: main.cf, parameter: smtpd_tls_security_level, kind: replaced, old_value: none, new_value: may}]
    files:
      description: Every file the apply manages, with its C(path), C(kind) and C(action) (unchanged, create or replace).
      type: list
      elements: dict
    compile:
      description: The maps compiled, with the C(command) (C(postmap lmdb:/etc/postfix/tls_policy)) and the C(reason).
      type: list
      elements: dict
    action:
      description: What Postfix is asked to do afterwards, when it is running (none, reload or restart).
      type: str
      sample: reload
    reason:
      description: Why (or why not).
      type: str
      sample: main.cf changes
    performed:
      description: What was asked of Postfix (none also when Postfix was not running); null in check mode.
      type: str
      sample: reload
diagnostics:
  description: Every diagnostic of validation, file checks and planning, as data.
  returned: always (empty when C(postfix-config) could not run)
  type: list
  elements: dict
  contains:
    severity:
      description: error, warning or info.
      type: str
    code:
      description: The diagnostic code (see docs/diagnostics.md).
      type: str
      sample: PFX2005
    parameter:
      description: The Postfix parameter it is about, or null.
      type: str
    message:
      description: What is wrong and what to do.
      type: str
    file:
      description: The file it points into (C(config) for the I(config) dictionary), or null.
      type: str
    line:
      description: 1-based line, or null.
      type: int
    column:
      description: 1-based column, or null.
      type: int
cmd:
  description: The command that was run.
  returned: when postfix-config was run
  type: list
  elements: str
rc:
  description: Its exit code (0 done, 1 the configuration was refused, 2 a step on the host failed).
  returned: when postfix-config was run
  type: int
stderr:
  description: What postfix-config printed on standard error (the diagnostics as text, the reason of a failed step).
  returned: when postfix-config was run
  type: str
'''

import json
import os
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_bytes, to_native, to_text


def find_executable(module, executable):
    if '/' in executable:
        if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
            module.fail_json(msg='%s is not an executable file; install postfix-config (role postfixconfig.postfix.install) '
                                 'or set executable.' % executable, diagnostics=[])
        return executable
    found = module.get_bin_path(executable, required=False, opt_dirs=['/usr/local/bin'])
    if found is None:
        module.fail_json(msg='%s was not found on PATH or in /usr/local/bin; install it (role postfixconfig.postfix.install) '
                             'or set executable to its path.' % executable, diagnostics=[])
    return found


def write_config(module, config):
    """Writes the dictionary as indented JSON (a YAML document) into a new file of mode 0600."""
    fd, path = tempfile.mkstemp(prefix='postfix-config-', suffix='.yaml', dir=module.tmpdir)
    try:
        os.write(fd, to_bytes(json.dumps(config, indent=2, ensure_ascii=False) + '\n'))
    finally:
        os.close(fd)
    return path


def split_texts(plan):
    """Takes the before/after texts out of the plan's files, as Ansible diffs."""
    diffs = []
    for f in plan.get('files', []):
        if 'after' not in f:
            continue
        before = f.pop('before', None)
        after = f.pop('after', None)
        diffs.append({
            'before_header': f['path'] if before is not None else '%s (not readable)' % f['path'],
            'after_header': f['path'],
            'before': before if before is not None else '',
            'after': after if after is not None else '',
        })
    return diffs


def main():
    module = AnsibleModule(
        argument_spec=dict(
            config=dict(type='dict'),
            src=dict(type='path'),
            config_dir=dict(type='path', default='/etc/postfix'),
            reload=dict(type='bool', default=True),
            check_files=dict(type='bool', default=True),
            executable=dict(type='str', default='postfix-config'),
        ),
        mutually_exclusive=[('config', 'src')],
        required_one_of=[('config', 'src')],
        supports_check_mode=True,
    )
    params = module.params
    executable = find_executable(module, params['executable'])
    written = None
    try:
        if params['config'] is not None:
            written = write_config(module, params['config'])
        source = written or params['src']
        cmd = [executable, 'apply', source, '--config-dir', params['config_dir'], '--format', 'json']
        if module.check_mode:
            cmd.append('--dry-run')
        if not params['reload']:
            cmd.append('--no-reload')
        if not params['check_files']:
            cmd.append('--no-check-files')
        rc, out, err = module.run_command(cmd, environ_update={'DOTNET_CLI_TELEMETRY_OPTOUT': '1', 'DOTNET_NOLOGO': '1'})
    finally:
        if written is not None and os.path.exists(written):
            os.remove(written)

    try:
        data = json.loads(out) if out.strip() else None
    except ValueError:
        data = None

    diagnostics = data.pop('diagnostics', []) if isinstance(data, dict) else []
    if written is not None:
        # The temporary file is gone: name the option instead.
        err = to_text(err).replace(written, 'config')
        for d in diagnostics:
            if d.get('file') == written:
                d['file'] = 'config'

    if rc != 0 or not isinstance(data, dict) or 'files' not in data:
        errors = ['%s%s: %s' % (d.get('code'), ' [%s]' % d['parameter'] if d.get('parameter') else '', d.get('message'))
                  for d in diagnostics if d.get('severity') == 'error']
        if errors:
            msg = 'postfix-config refused the configuration; nothing was changed: ' + ' | '.join(errors)
        else:
            lines = [line for line in to_text(err).splitlines() if line.startswith('postfix-config: ')]
            msg = lines[-1][len('postfix-config: '):] if lines else (to_text(err).strip() or 'postfix-config exited %d' % rc)
        module.fail_json(msg=msg, diagnostics=diagnostics, cmd=cmd, rc=rc, stderr=to_native(err))

    result = dict(changed=bool(data.get('changed')), diagnostics=diagnostics, cmd=cmd, rc=rc, stderr=to_native(err))
    diffs = split_texts(data)
    result['plan'] = data
    if module._diff:
        result['diff'] = diffs
    warnings = ['%s: %s' % (d.get('code'), d.get('message')) for d in diagnostics if d.get('severity') == 'warning']
    for w in warnings:
        module.warn(w)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
