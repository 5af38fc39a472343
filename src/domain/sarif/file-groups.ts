/**
 * The findings of one upload grouped by file: item numbers (0…count-1) in an open-addressing table
 * keyed by a hash of the path, read in place. On a large upload nearly every path is new; a `Map`
 * keyed by the paths grew its table step by step, about 1.8 MB of young garbage per 20,000
 * findings, and the collections that garbage brings copy the whole parsed log (see README.md,
 * "Speed"). Here the table is sized once and kept outside the JavaScript heap, and a group's list
 * is made only for a file that holds a second finding.
 */
export class FileGroups {
  /** Slot → 1 + the first item added with a path hashing there (0: empty). */
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly paths: (string | undefined)[];
  /** Item → the items of its file, for items whose file holds more than one. */
  private readonly shared: (number[] | undefined)[];

  constructor(count: number) {
    let size = 16;
    while (size < count * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    this.paths = new Array<string | undefined>(count).fill(undefined);
    this.shared = new Array<number[] | undefined>(count).fill(undefined);
  }

  /** Adds item `item` (each once, below the count given) in the file `path`. */
  add(path: string, item: number): void {
    this.paths[item] = path;
    for (let slot = hashOf(path) & this.mask; ; slot = (slot + 1) & this.mask) {
      const first = this.slots[slot]! - 1;
      if (first < 0) {
        this.slots[slot] = item + 1;
        return;
      }
      if (this.paths[first] !== path) continue;
      const items = this.shared[first];
      if (items === undefined) this.shared[first] = this.shared[item] = [first, item];
      else {
        items.push(item);
        this.shared[item] = items;
      }
      return;
    }
  }

  /** The items of `item`'s file when it holds more than one, else undefined (nothing else of the upload is in that file). */
  group(item: number): number[] | undefined {
    return this.shared[item];
  }
}

/** FNV-1a over the UTF-16 code units (equal paths hash equal; a collision only costs a comparison). */
function hashOf(path: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) hash = Math.imul(hash ^ path.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
