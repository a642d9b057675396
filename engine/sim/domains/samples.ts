// domainSamples(): every domain's sampled figures as three numbers by its place in a table, so a
// sample costs three array fills instead of 20,000 snapshot copies. A domain the table does not
// hold (inactive, or defined since) reads its snapshot's own figures: they do not move with samples.

import type { DomainInfo, DomainSamples } from '../../api/types';

export class SampleTable implements DomainSamples {
  constructor(
    private readonly slot: ReadonlyMap<string, number>,
    private readonly cpu: Float64Array,
    private readonly time: Float64Array,
    private readonly mem: Float64Array,
  ) {}

  cpuPercent(d: DomainInfo): number {
    const i = this.slot.get(d.uuid);
    return i === undefined ? d.cpuPercent : this.cpu[i];
  }

  cpuTimeNs(d: DomainInfo): number {
    const i = this.slot.get(d.uuid);
    return i === undefined ? d.cpuTimeNs : this.time[i];
  }

  memoryUsedKiB(d: DomainInfo): number {
    const i = this.slot.get(d.uuid);
    return i === undefined ? d.memoryUsedKiB : this.mem[i];
  }
}
