import { MillisecondOrder } from './clock.ts';
import { envelopeBytes, highAccuracyEntryOverhead } from './encode.ts';
import { toLabelValue } from './label-value.ts';
import type { LtsApi } from './types.ts';

/** One distinct label set: its records share requests; what a request of them looks like. */
export class LabelGroup {
  /** The order of this group's records that share a millisecond (APIs with a time per record). */
  readonly order = new MillisecondOrder();
  /** Body bytes besides the records. */
  readonly envelopeBytes: number;
  /** Bytes a record adds besides its content: quotes, comma and (high-accuracy) its time. */
  readonly recordOverhead: number;
  /** Body bytes left for the records of one request. */
  readonly recordBudget: number;
  /** The largest JSON literal of one content that fits a request alone. */
  readonly maxLiteralBytes: number;
  /** Whether each record carries its own time (high-accuracy and batch APIs). */
  readonly highAccuracy: boolean;

  constructor(
    readonly key: string,
    readonly labelsJson: string,
    readonly api: LtsApi,
    maxBatchBytes: number,
    /** The batch API's bodies name the project. */
    readonly projectId = '',
  ) {
    this.highAccuracy = api !== 'standard';
    this.envelopeBytes = envelopeBytes(api, labelsJson, projectId);
    this.recordOverhead = 3 + (this.highAccuracy ? highAccuracyEntryOverhead : 0);
    this.recordBudget = maxBatchBytes - this.envelopeBytes;
    this.maxLiteralBytes = this.recordBudget - (this.highAccuracy ? highAccuracyEntryOverhead : 0);
  }
}

/**
 * Label sets and their groups. Record labels are merged over the static ones;
 * values that are not strings are converted. Beyond `maxLabelSets` distinct
 * sets (after forgetting idle ones), records keep only the static labels.
 */
export class LabelSets {
  readonly staticGroup: LabelGroup;
  private readonly groups = new Map<string, LabelGroup>();
  /** Frozen label objects cannot change, so their group can be remembered by identity. */
  private readonly byFrozenObject = new WeakMap<object, LabelGroup>();

  constructor(
    private readonly staticLabels: Record<string, string>,
    private readonly api: LtsApi,
    private readonly maxBatchBytes: number,
    private readonly maxLabelSets: number,
    private readonly projectId = '',
    /** Whether a group has records not yet sealed into a request (the accumulator knows): those are not forgotten. */
    private readonly inUse: (group: LabelGroup) => boolean = () => false,
  ) {
    this.staticGroup = new LabelGroup(
      '',
      JSON.stringify(staticLabels),
      api,
      maxBatchBytes,
      projectId,
    );
  }

  /** The group for a record's labels, or undefined when `maxLabelSets` is reached. */
  groupFor(labels: Readonly<Record<string, unknown>>): LabelGroup | undefined {
    const remembered = this.byFrozenObject.get(labels);
    if (
      remembered !== undefined &&
      (remembered === this.staticGroup || this.groups.get(remembered.key) === remembered)
    ) {
      return remembered;
    }
    const group = this.lookUp(labels);
    if (group !== undefined && Object.isFrozen(labels)) this.byFrozenObject.set(labels, group);
    return group;
  }

  private lookUp(labels: Readonly<Record<string, unknown>>): LabelGroup | undefined {
    const key = labelsKey(labels);
    if (key === '{}') return this.staticGroup;
    const existing = this.groups.get(key);
    if (existing !== undefined) return existing;
    if (this.groups.size + 1 >= this.maxLabelSets && !this.forgetIdle()) return undefined;
    const merged: Record<string, string> = { ...this.staticLabels, ...JSON.parse(key) };
    const group = new LabelGroup(
      key,
      JSON.stringify(merged),
      this.api,
      this.maxBatchBytes,
      this.projectId,
    );
    this.groups.set(key, group);
    return group;
  }

  /** Every group, the static one first. */
  *all(): Iterable<LabelGroup> {
    yield this.staticGroup;
    yield* this.groups.values();
  }

  private forgetIdle(): boolean {
    const before = this.groups.size;
    for (const [key, group] of this.groups) {
      if (!this.inUse(group)) this.groups.delete(key);
    }
    return this.groups.size < before;
  }
}

/** The labels with every value as text ({@link toLabelValue}), as JSON: the label set's key. */
function labelsKey(labels: Readonly<Record<string, unknown>>): string {
  // Prototype-less, so that a label named `__proto__` stays a label.
  const values: Record<string, string> = Object.create(null);
  let plain = true;
  for (const name in labels) {
    if (!Object.hasOwn(labels, name)) continue;
    const value = labels[name];
    if (typeof value === 'string') {
      values[name] = value;
      continue;
    }
    plain = false;
    const text = toLabelValue(value);
    if (text !== undefined) values[name] = text;
  }
  return JSON.stringify(plain ? labels : values);
}
