import { describe, expect, it } from 'vitest';
import { dom, GiB, sim } from './world';

const UUID = '4f6c2a1e-0b5e-4c6a-9d7e-1a2b3c4d5e6f';

describe('define / undefine / rename identity rules', () => {
  it('defines a new domain with defaults from the driver table', () => {
    const s = sim();
    const d = s.defineDomain({ name: 'vm1', host: 'kvm1', nics: [{ network: 'default' }], disks: [{ source: '/var/lib/libvirt/images/vm1.img' }] });
    expect(d).toMatchObject({ name: 'vm1', id: null, state: 'shut off', reason: 'unknown', persistent: true, guestType: 'hvm', machine: 'pc-q35-7.2' });
    expect(d.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(d.nics[0].mac).toMatch(/^52:54:00:/);
    expect(d.nics[0].model).toBe('virtio');
    expect(d.disks[0]).toMatchObject({ target: 'vda', bus: 'virtio', format: 'raw' });
    const x = s.defineDomain({ name: 'xpv', host: 'xen1', guestType: 'pv', nics: [{ network: 'default' }] });
    expect(x).toMatchObject({ machine: 'xenpv', firmware: 'pygrub' });
    expect(x.nics[0].mac).toMatch(/^00:16:3e:/);
    expect(s.defineDomain({ name: 'xhvm', host: 'xen1', guestType: 'hvm' }).machine).toBe('xenfv');
    expect(s.recentEvents().slice(-3).map((e) => e.type === 'domain.lifecycle' && `${e.event}/${e.detail}`)).toEqual(['defined/added', 'defined/added', 'defined/added']);
  });

  it('refuses the same name with another (or no) uuid, naming the existing uuid', () => {
    const s = sim();
    s.defineDomain({ name: 'vm1', host: 'kvm1', uuid: UUID });
    expect(() => s.defineDomain({ name: 'vm1', host: 'kvm1' })).toThrow(`operation failed: domain 'vm1' already exists with uuid ${UUID}`);
    expect(() => s.defineDomain({ name: 'vm1', host: 'kvm1', uuid: '11111111-2222-4333-8444-555555555555' })).toThrow(
      `operation failed: domain 'vm1' already exists with uuid ${UUID}`,
    );
  });

  it('refuses a uuid that exists under another name', () => {
    const s = sim();
    s.defineDomain({ name: 'test', host: 'kvm1', uuid: UUID });
    const before = s.toState();
    expect(() => s.defineDomain({ name: 'other', host: 'kvm1', uuid: UUID })).toThrow(`operation failed: domain 'test' is already defined with uuid ${UUID}`);
    expect(s.toState()).toEqual(before);
  });

  it('same name + uuid updates; while running the new config is pending until the next start', () => {
    const s = sim([dom('vm1', 'kvm1', { state: 'running', uuid: UUID })]);
    const mac = s.lookupDomain('vm1').nics[0].mac;
    s.defineDomain({ name: 'vm1', host: 'kvm1', uuid: UUID, vcpus: 4, maxVcpus: 4, memoryKiB: GiB, nics: [{ network: 'default' }], disks: [{ source: 'default/vm1.qcow2' }] });
    let d = s.lookupDomain('vm1');
    expect(d.vcpus).toEqual({ current: 2, max: 4, configCurrent: 4, configMax: 4 });
    expect(d.nics[0].mac).toBe(mac); // an update keeps the NIC's MAC
    expect(s.recentEvents(1)[0]).toMatchObject({ type: 'domain.lifecycle', event: 'defined', detail: 'updated' });
    s.destroyDomain('vm1');
    s.startDomain('vm1');
    d = s.lookupDomain('vm1');
    expect(d.vcpus.current).toBe(4);
  });

  it('validates names and references', () => {
    const s = sim();
    expect(() => s.defineDomain({ name: 'a/b', host: 'kvm1' })).toThrow("XML error: name a/b cannot contain '/'");
    expect(() => s.defineDomain({ name: 'Domain-0', host: 'xen1' })).toThrow(/reserved/);
    expect(() => s.defineDomain({ name: 'x', host: 'nohost' })).toThrow("Host not found: no host with matching name 'nohost'");
    expect(() => s.defineDomain({ name: 'x', host: 'kvm1', os: 'plan9' })).toThrow("unsupported configuration: unknown OS 'plan9' for domain 'x'");
    expect(() => s.defineDomain({ name: 'x', host: 'kvm1', vcpus: 4, maxVcpus: 2 })).toThrow('invalid argument: requested cpu amount exceeds maximum (4 > 2)');
    expect(() => s.defineDomain({ name: 'x', host: 'kvm1', memoryKiB: 2 * GiB, maxMemoryKiB: GiB })).toThrow('cannot set memory higher than max memory');
    expect(() => s.defineDomain({ name: 'x', host: 'kvm1', nics: [{ network: 'default', mac: 'zz' }] })).toThrow("XML error: unable to parse mac address 'zz'");
    expect(s.listDomains().map((d) => d.name)).toEqual(['Domain-0', 'Domain-0']);
    expect(s.recentEvents().filter((e) => e.type === 'domain.lifecycle')).toEqual([]);
  });

  it('undefine: inactive is removed, running becomes transient and vanishes when stopped', () => {
    const s = sim([dom('a', 'kvm1'), dom('b', 'kvm1', { state: 'running', autostart: true })]);
    s.undefineDomain('a');
    expect(() => s.lookupDomain('a')).toThrow("Domain not found: no domain with matching name 'a'");
    s.undefineDomain('b');
    expect(s.lookupDomain('b')).toMatchObject({ persistent: false, autostart: false, state: 'running' });
    expect(() => s.undefineDomain('b')).toThrow('Requested operation is not valid: cannot undefine transient domain');
    expect(() => s.setAutostart('b', true)).toThrow('Requested operation is not valid: cannot set autostart for transient domain');
    expect(() => s.managedSave('b')).toThrow('Requested operation is not valid: cannot do managed save for transient domain');
    expect(() => s.setVcpus('b', 1, { config: true })).toThrow('Requested operation is not valid: transient domains do not have any persistent config');
    s.destroyDomain('b');
    expect(() => s.lookupDomain('b')).toThrow(/no domain with matching name 'b'/);
    expect(s.recentEvents(1)[0]).toMatchObject({ event: 'stopped', detail: 'destroyed', domain: 'b' });
  });

  it('transient domain vanishes after an ACPI shutdown too', () => {
    const s = sim([dom('b', 'kvm1', { state: 'running', persistent: false })]);
    expect(s.lookupDomain('b').persistent).toBe(false);
    s.shutdownDomain('b');
    s.advance(60_000);
    expect(s.listDomains().some((d) => d.name === 'b')).toBe(false);
  });

  it('undefine with a managed save image needs the managedSave option', () => {
    const s = sim([dom('a', 'kvm1', { state: 'running' })]);
    s.managedSave('a');
    s.undefineDomain('a', { managedSave: true });
    expect(() => s.lookupDomain('a')).toThrow(/no domain/);
  });

  it('rename rules', () => {
    const s = sim([dom('a', 'kvm1'), dom('b', 'kvm1')]);
    expect(() => s.renameDomain('a', 'b')).toThrow("Requested operation is not valid: domain with name 'b' already exists");
    expect(() => s.renameDomain('a', 'a')).toThrow("Requested operation is not valid: Can't rename domain to itself");
    s.renameDomain('a', 'c');
    expect(s.lookupDomain('c').name).toBe('c');
    expect(s.recentEvents(1)[0]).toMatchObject({ type: 'domain.changed', what: 'rename', domain: 'c' });
    expect(s.listDomains().filter((d) => !d.isDom0).map((d) => d.name)).toEqual(['b', 'c']);
  });

  it('lookup: id, then uuid, then name; Domain-0 forms; libvirt not-found texts', () => {
    const s = sim([dom('7', 'kvm1', { uuid: UUID }), dom('web', 'kvm1', { state: 'running' })]);
    expect(s.lookupDomain('1').name).toBe('web'); // id 1 wins
    expect(s.lookupDomain('7').name).toBe('7'); // no id 7: falls back to the name
    expect(s.lookupDomain(UUID).name).toBe('7');
    expect(s.lookupDomain(UUID.toUpperCase()).name).toBe('7');
    expect(s.lookupDomain('Domain-0').host).toBe('xen1');
    expect(s.lookupDomain('0').host).toBe('xen1');
    expect(s.lookupDomain('xen2/Domain-0').host).toBe('xen2');
    expect(() => s.lookupDomain('nosuch')).toThrow("Domain not found: no domain with matching name 'nosuch'");
    expect(() => s.lookupDomain('99')).toThrow('Domain not found: no domain with matching id 99');
    expect(() => s.lookupDomain('11111111-2222-4333-8444-555555555555')).toThrow("Domain not found: no domain with matching uuid '11111111-2222-4333-8444-555555555555'");
  });
});
