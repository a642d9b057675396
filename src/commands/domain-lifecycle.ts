// Domain lifecycle commands. Like virsh, messages name the domain as the user typed it
// ("Domain '1' destroyed"), except `start`, which names it by its real name; failures print
// virsh's context line ("Failed to destroy domain '1'") and then the engine's libvirt error.

import type { Connection } from '../../engine/api/connection';
import type { DomainInfo } from '../../engine/api/types';
import { CommandError } from './errors';
import { isActive, lookupDomain } from './lookup';
import { DOMAIN_OPT } from './domain-query';
import { flag, strReq } from './parse';
import type { CommandContext, CommandDef, OptDef, ParsedArgs } from './types';

/** The domain's state after a change, for --json results (absent once it no longer exists). */
export function afterJson(ctx: CommandContext, d: DomainInfo, action: string): Record<string, unknown> {
  const result: Record<string, unknown> = { domain: d.name, uuid: d.uuid, action };
  try {
    const now = ctx.conn.lookupDomain(d.uuid);
    Object.assign(result, { id: now.id, state: now.state, reason: now.reason, persistent: now.persistent });
  } catch {
    result.state = null;
  }
  return result;
}

/** Runs `op`, turning an engine error into virsh's two-line failure. */
function attempt(context: string, op: () => void): void {
  try {
    op();
  } catch (e) {
    throw CommandError.failed(context, e);
  }
}

interface SimpleSpec {
  name: string;
  summary: string;
  description: string[];
  domainHelp?: string;
  extra?: OptDef[];
  /** virsh's context line: "Failed to <failVerb> domain 'x'" (+ failSuffix). */
  failVerb: string;
  failSuffix?: string;
  /** Past-tense action for --json, e.g. "destroyed". */
  action: string;
  /** A check virsh makes itself before calling libvirt: its failure is a single error line. */
  precheck?(d: DomainInfo, args: ParsedArgs): void;
  op(conn: Connection, uuid: string, args: ParsedArgs): void;
  message(ref: string): string;
}

function simple(spec: SimpleSpec): CommandDef {
  return {
    name: spec.name,
    group: 'domain',
    summary: spec.summary,
    description: spec.description,
    options: [{ ...DOMAIN_OPT, help: spec.domainHelp ?? DOMAIN_OPT.help }, ...(spec.extra ?? [])],
    run(ctx, args) {
      const ref = strReq(args, 'domain');
      const d = lookupDomain(ctx.conn, ref);
      spec.precheck?.(d, args);
      attempt(`Failed to ${spec.failVerb} domain '${ref}'${spec.failSuffix ?? ''}`, () => spec.op(ctx.conn, d.uuid, args));
      ctx.emit(afterJson(ctx, d, spec.action), spec.message(ref));
    },
  };
}

const start: CommandDef = {
  name: 'start',
  group: 'domain',
  summary: 'start a (previously defined) inactive domain',
  description: ['Start a domain, either from the last managedsave', 'state, or via a fresh boot if no managedsave state', 'is present.'],
  options: [{ ...DOMAIN_OPT, help: 'name of the inactive domain' }],
  run(ctx, args) {
    const d = lookupDomain(ctx.conn, strReq(args, 'domain'));
    // virsh checks this itself before calling libvirt, hence the single line.
    if (isActive(d)) throw CommandError.plain('VIR_ERR_OPERATION_INVALID', 'Domain is already active');
    attempt(`Failed to start domain '${d.name}'`, () => ctx.conn.startDomain(d.uuid));
    ctx.emit(afterJson(ctx, d, 'started'), `Domain '${d.name}' started\n`);
  },
};

const managedsaveRemove: CommandDef = {
  name: 'managedsave-remove',
  group: 'domain',
  summary: 'Remove managed save of a domain',
  description: ['Remove an existing managed save state file from a domain'],
  options: [DOMAIN_OPT],
  run(ctx, args) {
    const ref = strReq(args, 'domain');
    const d = lookupDomain(ctx.conn, ref);
    // virsh prints these two messages without a newline of their own.
    if (!d.managedSave) {
      ctx.emit({ domain: d.name, uuid: d.uuid, action: 'none', managedSave: false }, `Domain '${ref}' has no manage save image; removal skipped`);
      return;
    }
    attempt(`Failed to remove managed save image for domain '${ref}'`, () => ctx.conn.managedSaveRemove(d.uuid));
    ctx.emit({ domain: d.name, uuid: d.uuid, action: 'removed', managedSave: false }, `Removed managedsave image for domain '${ref}'`);
  },
};

const autostart: CommandDef = {
  name: 'autostart',
  group: 'domain',
  summary: 'autostart a domain',
  description: ['Configure a domain to be automatically started at boot.'],
  options: [DOMAIN_OPT, { name: 'disable', type: 'bool', help: 'disable autostarting' }],
  run(ctx, args) {
    const ref = strReq(args, 'domain');
    const d = lookupDomain(ctx.conn, ref);
    const on = !flag(args, 'disable');
    attempt(on ? `Failed to mark domain '${ref}' as autostarted` : `Failed to unmark domain '${ref}' as autostarted`, () =>
      ctx.conn.setAutostart(d.uuid, on),
    );
    const text = on ? `Domain '${ref}' marked as autostarted\n` : `Domain '${ref}' unmarked as autostarted\n`;
    ctx.emit({ domain: d.name, uuid: d.uuid, action: on ? 'autostart-enabled' : 'autostart-disabled', autostart: on }, text);
  },
};

const domrename: CommandDef = {
  name: 'domrename',
  group: 'domain',
  summary: 'rename a domain',
  description: ['Rename an inactive domain.'],
  options: [
    { ...DOMAIN_OPT, help: 'domain name or uuid' },
    { name: 'new-name', type: 'string', required: true, help: 'new domain name' },
  ],
  run(ctx, args) {
    const d = lookupDomain(ctx.conn, strReq(args, 'domain'), { name: true, uuid: true });
    const newName = strReq(args, 'new-name');
    ctx.conn.renameDomain(d.uuid, newName);
    ctx.emit({ domain: newName, uuid: d.uuid, action: 'renamed', oldName: d.name }, 'Domain successfully renamed\n');
  },
};

export const LIFECYCLE_COMMANDS: CommandDef[] = [
  start,
  simple({
    name: 'shutdown',
    summary: 'gracefully shutdown a domain',
    description: ['Run shutdown in the target domain.'],
    failVerb: 'shutdown',
    action: 'shutdown',
    op: (c, u) => c.shutdownDomain(u),
    message: (r) => `Domain '${r}' is being shutdown\n`,
  }),
  simple({
    name: 'destroy',
    summary: 'destroy (stop) a domain',
    description: ['Forcefully stop a given domain, but leave its resources intact.'],
    failVerb: 'destroy',
    action: 'destroyed',
    op: (c, u) => c.destroyDomain(u),
    message: (r) => `Domain '${r}' destroyed\n`,
  }),
  simple({
    name: 'reboot',
    summary: 'reboot a domain',
    description: ['Run a reboot command in the target domain.'],
    failVerb: 'reboot',
    action: 'rebooted',
    op: (c, u) => c.rebootDomain(u),
    message: (r) => `Domain '${r}' is being rebooted\n`,
  }),
  simple({
    name: 'reset',
    summary: 'reset a domain',
    description: ['Reset the target domain as if by power button'],
    failVerb: 'reset',
    action: 'reset',
    op: (c, u) => c.resetDomain(u),
    message: (r) => `Domain '${r}' was reset\n`,
  }),
  simple({
    name: 'suspend',
    summary: 'suspend a domain',
    description: ['Suspend a running domain.'],
    failVerb: 'suspend',
    action: 'suspended',
    op: (c, u) => c.suspendDomain(u),
    message: (r) => `Domain '${r}' suspended\n`,
  }),
  simple({
    name: 'resume',
    summary: 'resume a domain',
    description: ['Resume a previously suspended domain.'],
    failVerb: 'resume',
    action: 'resumed',
    op: (c, u) => c.resumeDomain(u),
    message: (r) => `Domain '${r}' resumed\n`,
  }),
  simple({
    name: 'managedsave',
    summary: 'managed save of a domain state',
    description: [
      'Save and destroy a running domain, so it can be restarted from',
      'the same state at a later time.  When the virsh \'start\'',
      'command is next run for the domain, it will automatically',
      'be started from this saved state.',
    ],
    failVerb: 'save',
    failSuffix: ' state',
    action: 'saved',
    op: (c, u) => c.managedSave(u),
    // virsh's job watcher prints a newline before the message.
    message: (r) => `\nDomain '${r}' state saved by libvirt\n`,
  }),
  managedsaveRemove,
  autostart,
  simple({
    name: 'undefine',
    summary: 'undefine a domain',
    description: ['Undefine an inactive domain, or convert persistent to transient.'],
    extra: [{ name: 'managed-save', type: 'bool', help: 'remove domain managed state file' }],
    failVerb: 'undefine',
    action: 'undefined',
    precheck: (d, a) => {
      if (d.managedSave && !flag(a, 'managed-save')) {
        throw CommandError.plain('VIR_ERR_OPERATION_INVALID', 'Refusing to undefine while domain managed save image exists');
      }
    },
    op: (c, u, a) => c.undefineDomain(u, { managedSave: flag(a, 'managed-save') }),
    message: (r) => `Domain '${r}' has been undefined\n`,
  }),
  domrename,
];
