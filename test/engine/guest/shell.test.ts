// The serial shell: login, line editing, each command and its effect on the engine.
import { describe, expect, it } from 'vitest';
import { dom, guestSim, login, boot, ringText, text } from './world';

const tail = (s: string, n = 6) => s.split('\n').slice(-n).join('\n');

describe('login', () => {
  it('refuses a wrong password after a delay, then accepts root/virtyard', () => {
    const sim = guestSim([dom('a', 'kvm1')]);
    boot(sim, 'a');
    const c = sim.openConsole('a', { cols: 100, rows: 30 });
    c.write('root\r');
    expect(text(c.lines())).toMatch(/Password:$/);
    c.write('nope\r');
    expect(text(c.lines())).not.toContain('nope'); // passwords are not echoed
    expect(text(c.lines())).not.toContain('Login incorrect');
    sim.advance(2000);
    expect(text(c.lines())).toMatch(/Login incorrect\n[\s\S]*\na login:$/);
    c.write('root\rvirtyard\r');
    expect(text(c.lines())).toMatch(/root@a:~#$/);
  });

  it('fixture users replace the default login', () => {
    const sim = guestSim([dom('a', 'kvm1')]);
    sim.world.s.guest = { consoles: {}, leases: {}, users: [{ name: 'ops', password: 's3cret' }] };
    boot(sim, 'a');
    const c = sim.openConsole('a', { cols: 100, rows: 30 });
    c.write('ops\rs3cret\r');
    expect(text(c.lines())).toMatch(/ops@a:~\$$/);
  });

  it('input before the login prompt is not read; exit logs out', () => {
    const sim = guestSim([dom('a', 'kvm1')]);
    sim.startDomain('a');
    const c = sim.openConsole('a', { cols: 100, rows: 30 });
    c.write('root\r');
    expect(ringText(sim, 'a')).not.toContain('root');
    sim.advance(sim.lookupDomain('a').bootedAt! - sim.clock().now);
    c.write('root\rvirtyard\rexit\r');
    expect(text(c.lines())).toMatch(/exit\nlogout\n[\s\S]*a login:$/);
  });
});

describe('line editing', () => {
  it('backspace, Ctrl+U, Ctrl+C, arrows and insertion, history ↑/↓', () => {
    const sim = guestSim([dom('a', 'kvm1')]);
    const c = login(sim, 'a');
    c.write('hostnaxx\x7f\x7fme\r');
    expect(tail(text(c.lines()), 3)).toBe('root@a:~# hostname\na\nroot@a:~#');
    c.write('garbage\x15nproc\r');
    expect(tail(text(c.lines()), 2)).toBe('2\nroot@a:~#');
    c.write('sleep 100\x03');
    expect(tail(text(c.lines()), 2)).toBe('root@a:~# sleep 100^C\nroot@a:~#');
    c.write('upime\x1b[D\x1b[D\x1b[Dt\r'); // ← ← ← then insert 't'
    expect(text(c.lines())).toMatch(/root@a:~# uptime\n \d\d:\d\d:\d\d up/);
    c.write('\x1b[A\x1b[A\r'); // ↑ ↑ → nproc
    expect(tail(text(c.lines()), 3)).toBe('root@a:~# nproc\n2\nroot@a:~#');
    c.write('\x1b[A\x1b[B\x1b[B'); // browse and come back to an empty line
    expect(tail(text(c.lines()), 1)).toBe('root@a:~#');
    expect(sim.world.s.guest!.consoles[sim.world.byName.get('a')!.uuid].shell.history).toEqual(['hostname', 'nproc', 'uptime', 'nproc']);
  });
});

describe('commands read the world', () => {
  // Each test its own world and session: a test that destroys a guest or leaves a ping running
  // must not change what the next one sees (they pass in any order).
  function world() {
    const sim = guestSim([
      dom('a', 'kvm1', { vcpus: 3, maxVcpus: 4, nics: [{ network: 'default', type: 'network', mac: '52:54:00:aa:00:01' }] }),
      dom('b', 'kvm1', { nics: [{ network: 'default', type: 'network', mac: '52:54:00:aa:00:02' }] }),
      dom('v', 'kvm1', { nics: [{ network: 'vlan10', type: 'network', mac: '52:54:00:aa:00:03' }] }),
      dom('l', 'kvm1', { nics: [{ network: 'br0', type: 'network', mac: '52:54:00:aa:00:04' }] }),
      dom('iso', 'kvm1', { os: 'alpine3.20', nics: [{ network: 'lab', type: 'network', mac: '52:54:00:aa:00:05' }] }),
      dom('x', 'xen1', { type: 'pv', nics: [{ network: 'xenbr0', type: 'network', mac: '00:16:3e:aa:00:06' }] }),
    ]);
    for (const n of ['b', 'v', 'l', 'x']) boot(sim, n);
    const c = login(sim, 'a', 160, 60);
    const run = (cmd: string, settle = 0) => {
      const before = ringText(sim, 'a').length;
      c.write(cmd + '\r');
      if (settle) sim.advance(settle);
      return ringText(sim, 'a').slice(before);
    };
    const lease = (mac: string) => Object.values(sim.world.s.guest!.leases).map((t) => t[mac]).find(Boolean)!;
    return { sim, c, run, lease };
  }

  it('uname, hostname, nproc, lscpu and cpuinfo state the vCPUs and the hypervisor flag', () => {
    const { run } = world();
    expect(run('uname -a')).toContain('Linux a 6.1.0-27-amd64');
    expect(run('hostname')).toContain('\na\n');
    expect(run('nproc')).toContain('\n3\n');
    const lscpu = run('lscpu');
    expect(lscpu).toMatch(/CPU\(s\):\s+3/);
    expect(lscpu).toMatch(/Hypervisor vendor:\s+KVM/);
    expect(lscpu).toContain('Intel Xeon Gold 6338');
    const cpuinfo = run('cat /proc/cpuinfo');
    expect(cpuinfo.match(/^processor/gm)).toHaveLength(3);
    expect(cpuinfo).toMatch(/flags\t\t: .* hypervisor /);
    expect(cpuinfo).not.toMatch(/ vmx /);
  });

  it('free, df and lsblk follow the memory and the volume', () => {
    const { sim, run } = world();
    const memKiB = sim.lookupDomain('a').memory.currentKiB;
    expect(run('free -m')).toMatch(new RegExp(`Mem:\\s+${Math.floor((memKiB * 0.97) / 1024)}\\s`));
    // The host's balloon figures tell the same story: MemTotal, and free ≤ available ≤ total ≤ the balloon.
    const stat = Object.fromEntries(sim.memoryStats('a').map((x) => [x.tag, x.value]));
    expect(stat.available).toBe(Math.floor(memKiB * 0.97));
    expect(stat.unused).toBeLessThan(stat.usable);
    expect(stat.usable).toBeLessThan(stat.available);
    expect(stat.available).toBeLessThan(stat.actual);
    expect(stat.usable - stat.unused).toBe(stat.disk_caches);
    const vol = sim.listVolumes('default').find((v) => v.name === 'a.qcow2')!;
    expect(run('lsblk')).toMatch(/vda\s+253:0\s+0\s+20G/);
    expect(run('df -h')).toMatch(/\/dev\/vda1\s+20G\s+2\.0G/);
    expect(vol.allocationBytes).toBe(2 * 2 ** 30);
  });

  it('ip addr and ip route show the lease and the gateway', () => {
    const { run, lease } = world();
    const ip = lease('52:54:00:aa:00:01');
    expect(run('ip addr')).toContain(`inet ${ip}/24`);
    expect(run('ip a')).toContain('link/ether 52:54:00:aa:00:01');
    expect(run('ip route')).toContain(`default via 192.168.122.1 dev enp1s0 proto dhcp src ${ip}`);
  });

  it('dmesg, ps, top, uptime, date answer', () => {
    const { run } = world();
    expect(run('dmesg')).toContain('smp: Brought up 1 node, 3 CPUs');
    expect(run('ps')).toContain('/sbin/init');
    const top = run('top -b -n1');
    // The CPU split adds up to 100 %.
    const split = /%Cpu\(s\):\s*([\d.]+) us,\s*([\d.]+) sy,\s*([\d.]+) ni,\s*([\d.]+) id/.exec(top);
    expect(split).not.toBeNull();
    expect(split!.slice(1).reduce((a, x) => a + Number(x), 0)).toBeCloseTo(100, 1);
    expect(run('uptime')).toMatch(/up .*load average/);
    expect(run('date')).toMatch(/UTC 2026/);
  });

  it('unknown commands answer like bash', () => {
    const { run } = world();
    expect(run('frobnicate --now')).toContain('-bash: frobnicate: command not found');
  });

  it('ping: same network answers, the gateway and the internet answer through NAT', () => {
    const { run, lease } = world();
    const out = run(`ping -c 2 ${lease('52:54:00:aa:00:02')}`, 3000);
    expect(out).toMatch(/2 packets transmitted, 2 received, 0% packet loss/);
    expect(run('ping -c 1 192.168.122.1', 1000)).toContain('1 received');
    expect(run('ping -c 1 example.com', 1000)).toMatch(/64 bytes from 93\.184\./);
    expect(run('ping -c 1 b', 1000)).toContain(`(${lease('52:54:00:aa:00:02')})`);
  });

  it('ping: a guest on the LAN is reached through NAT; a VLAN guest is not; the prompt waits for ping', () => {
    const { sim, c, run, lease } = world();
    expect(run(`ping -c 1 ${lease('52:54:00:aa:00:04')}`, 1000)).toContain('1 received');
    expect(run(`ping -c 1 ${lease('00:16:3e:aa:00:06')}`, 1000)).toContain('1 received'); // xenbr0 is the same LAN
    const v = run(`ping -c 2 ${lease('52:54:00:aa:00:03')}`);
    expect(v).not.toContain('statistics');
    expect(text(c.lines())).not.toMatch(/root@a:~#$/);
    sim.advance(5000);
    expect(ringText(sim, 'a')).toMatch(/2 packets transmitted, 0 received, 100% packet loss[\s\S]*root@a:~# $/);
  });

  it('ping: a stopped guest no longer answers', () => {
    const { sim, run, lease } = world();
    sim.destroyDomain('b');
    const out = run(`ping -c 1 ${lease('52:54:00:aa:00:02')}`, 4000);
    expect(out).toContain('Destination Host Unreachable');
    expect(out).toContain('0 received');
  });

  it('ping from an isolated network: neighbours only, no route out; alpine says -ash', () => {
    const { sim } = world();
    const c2 = login(sim, 'iso');
    const before = ringText(sim, 'iso').length;
    c2.write('ping -c 1 8.8.8.8\r');
    c2.write('ping -c 1 10.0.10.1\r');
    sim.advance(1000);
    c2.write('nosuch\r');
    const out = ringText(sim, 'iso').slice(before);
    expect(out).toContain('ping: connect: Network is unreachable');
    expect(out).toContain('1 packets transmitted, 1 received');
    expect(out).toContain('-ash: nosuch: not found');
  });
});

describe('commands change the world', () => {
  it('stress keeps vCPUs busy for S seconds (a workload override), Ctrl+C ends it early', () => {
    const sim = guestSim([dom('s', 'kvm1', { vcpus: 4, maxVcpus: 4 })]);
    const c = login(sim, 's');
    const events: string[] = [];
    const messages: string[] = [];
    sim.subscribe((e) => e.type === 'domain.changed' && events.push(e.what) && messages.push(e.message));
    const t0 = sim.clock().now;
    c.write('stress --cpu 2 --timeout 10\r');
    const rec = sim.world.byName.get('s')!;
    expect(rec.loadOverride).toEqual({ until: t0 + 10_000, vcpus: 2 });
    // the session is world state: the command is one event, its load override another
    expect(events).toEqual(['console', 'load']);
    expect(messages[0]).toBe("Domain 's' console: root ran 'stress --cpu 2 --timeout 10'");
    sim.advance(5_000);
    // the scheduler honours the override: two of four vCPUs busy on an otherwise idle guest
    expect(sim.lookupDomain('s').cpuPercent).toBeGreaterThan(180);
    expect(sim.lookupDomain('s').cpuPercent).toBeLessThan(260);
    sim.advance(4_999);
    expect(text(c.lines())).not.toMatch(/completed/);
    sim.advance(1);
    expect(text(c.lines())).toMatch(/successful run completed in 10s\nroot@s:~#$/);
    expect(rec.loadOverride).toBeNull();
    sim.advance(3_000);
    expect(sim.lookupDomain('s').cpuPercent).toBeLessThan(40);
    c.write('stress --cpu 8 --timeout 60\r');
    expect(rec.loadOverride!.vcpus).toBe(4); // no more hogs than vCPUs can be busy
    sim.advance(1000);
    c.write('\x03');
    sim.advance(1);
    expect(rec.loadOverride).toBeNull();
    expect(text(c.lines())).toMatch(/\^C\nroot@s:~#$/);
    c.write('stress --cpu x\r');
    expect(text(c.lines())).toContain('stress: FAIL: usage');
  });

  it('dd grows the volume by what it wrote, bounded by capacity', () => {
    const sim = guestSim([dom('d', 'kvm1')]);
    const c = login(sim, 'd');
    const vol = () => sim.listVolumes('default').find((v) => v.name === 'd.qcow2')!;
    const before = vol().allocationBytes;
    c.write('dd if=/dev/zero of=big bs=1M count=100\r');
    expect(vol().allocationBytes).toBe(before); // the write takes virtual time
    sim.advance(1000);
    expect(vol().allocationBytes).toBe(before + 100 * 2 ** 20);
    expect(text(c.lines())).toMatch(/104857600 bytes \(104\.9 MB, 100 MiB\) copied/);
    c.write('ls\r');
    expect(text(c.lines())).toMatch(/\nbig\n/);
    c.write('dd if=/dev/zero of=huge bs=1G count=100\r');
    sim.advance(120_000);
    expect(vol().allocationBytes).toBe(vol().capacityBytes);
    expect(text(c.lines())).toContain("dd: error writing 'huge': No space left on device");
    c.write('sync\r');
    expect(text(c.lines())).toMatch(/sync\nroot@d:~#$/);
  });

  it('poweroff: the guest goes down on the console, then the domain is shut off (on_poweroff=destroy)', () => {
    const sim = guestSim([dom('p', 'kvm1')]);
    const c = login(sim, 'p');
    c.write('poweroff\r');
    expect(sim.lookupDomain('p').state).toBe('running'); // libvirt sees nothing until the guest powers off
    sim.advance(10_000);
    const info = sim.lookupDomain('p');
    expect([info.state, info.reason]).toEqual(['shut off', 'shutdown']);
    expect(text(c.lines())).toMatch(/Reached target poweroff\.target[\s\S]*reboot: Power down$/);
    expect(c.state().running).toBe(false);
    c.write('ls\r'); // typing at a dead console does nothing
    expect(text(c.lines())).toMatch(/reboot: Power down$/);
  });

  it('shutdown -h now with on_poweroff=restart boots again', () => {
    const sim = guestSim([dom('p', 'kvm1', { onPoweroff: 'restart' })]);
    const c = login(sim, 'p');
    c.write('shutdown -h now\r');
    sim.advance(4000);
    expect(sim.lookupDomain('p').state).toBe('running');
    expect(ringText(sim, 'p')).toMatch(/reboot: Power down\nSeaBIOS/);
    sim.advance(60_000);
    expect(text(c.lines())).toMatch(/p login:$/);
  });

  it('reboot honours on_reboot: restart boots again, destroy stays off', () => {
    const sim = guestSim([dom('r', 'kvm1'), dom('q', 'kvm1', { onReboot: 'destroy' })]);
    const c = login(sim, 'r');
    c.write('reboot\r');
    sim.advance(60_000);
    expect(sim.lookupDomain('r').state).toBe('running');
    expect(ringText(sim, 'r')).toMatch(/Reached target reboot\.target[\s\S]*reboot: Restarting system\nSeaBIOS[\s\S]*r login: $/);
    const c2 = login(sim, 'q');
    c2.write('reboot\r');
    sim.advance(60_000);
    expect(sim.lookupDomain('q').state).toBe('shut off');
  });

  it('echo c > /proc/sysrq-trigger panics: on_crash=destroy → shut off (crashed); preserve → crashed', () => {
    const sim = guestSim([dom('k', 'kvm1'), dom('m', 'kvm1', { onCrash: 'preserve' })]);
    const c = login(sim, 'k');
    c.write('echo c > /proc/sysrq-trigger\r');
    sim.advance(1);
    expect(text(c.lines())).toContain('Kernel panic - not syncing: sysrq triggered crash');
    const k = sim.lookupDomain('k');
    expect([k.state, k.reason]).toEqual(['shut off', 'crashed']);
    const c2 = login(sim, 'm');
    c2.write('echo c > /proc/sysrq-trigger\r');
    sim.advance(1);
    expect(sim.lookupDomain('m').state).toBe('crashed');
  });

  it('ACPI shutdown from the host shows the guest going down', () => {
    const sim = guestSim([dom('h', 'kvm1'), dom('al', 'kvm1', { os: 'alpine3.20' })]);
    const c = login(sim, 'h');
    sim.shutdownDomain('h');
    sim.advance(60_000);
    expect(text(c.lines())).toMatch(/Power key pressed short[\s\S]*reboot: Power down$/);
    boot(sim, 'al');
    sim.shutdownDomain('al');
    sim.advance(60_000);
    expect(ringText(sim, "al")).toMatch(/The system is going down NOW![\s\S]*reboot: Power down\n$/);
  });
});

describe('other shells', () => {
  it('FreeBSD: root@host:~ # and "foo: not found"; cirros: "-sh: foo: not found"', () => {
    const sim = guestSim([dom('f', 'kvm1', { os: 'freebsd14' }), dom('c', 'kvm1', { os: 'cirros', memoryKiB: 256 * 1024 })]);
    const f = login(sim, 'f');
    f.write('foo\r');
    expect(tail(text(f.lines()), 2)).toBe('foo: not found\nroot@f:~ #');
    const c = login(sim, 'c');
    c.write('foo\r');
    expect(tail(text(c.lines()), 2)).toBe('-sh: foo: not found\n#');
    const r = guestSim([dom('r', 'kvm1', { os: 'rhel9' })]);
    const rc = login(r, 'r');
    rc.write('whoami\r');
    expect(tail(text(rc.lines()), 2)).toBe('root\n[root@r ~]#');
  });
});

describe('persistence', () => {
  it('ring, shell session and leases survive toState/fromState', async () => {
    const sim = guestSim([dom('a', 'kvm1')]);
    const c = login(sim, 'a');
    c.write('hostname\r');
    c.close();
    const { Simulation } = await import('../../../engine/sim');
    const again = Simulation.fromState(JSON.parse(JSON.stringify(sim.toState())), { uri: 'sim:///test' });
    const c2 = again.openConsole('a', { cols: 120, rows: 40 });
    expect(text(c2.lines())).toMatch(/root@a:~# hostname\na\nroot@a:~#$/);
    c2.write('nproc\r');
    expect(text(c2.lines())).toMatch(/nproc\n2\nroot@a:~#$/);
  });
});
