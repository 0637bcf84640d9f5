// The CLI's own ABI codec (cli/chain/abi.ts) against web3-eth-abi, the reference it replaced on the
// hot path: the same call data for every market function, and the same values decoded back.
import assert from "node:assert/strict";
import { it } from "node:test";
import { MarketCodec, signature, type AbiParameter } from "../../cli/chain/abi";
import { marketArtifact } from "../../cli/chain/artifacts";

const web3 = (require("web3-eth-abi") as { default?: unknown }).default ?? require("web3-eth-abi");
const coder = web3 as {
  encodeFunctionCall(item: object, args: unknown[]): string;
  encodeParameters(types: object[], values: unknown[]): string;
  decodeParameters(types: object[], data: string): Record<string, unknown>;
  encodeEventSignature(item: object): string;
  encodeFunctionSignature(item: object): string;
};

const SAMPLES: Record<string, unknown> = {
  address: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
  bool: true,
  string: "碳-B long enough to need two words of string data....",
  bytes32: "0x" + "ab".repeat(32),
  uint256: (2n ** 255n + 12345n).toString(),
  uint8: "4",
};

function sample(param: AbiParameter): unknown {
  if (param.type.endsWith("[]")) return [sample({ ...param, type: param.type.slice(0, -2) }), sample({ ...param, type: param.type.slice(0, -2) })];
  if (param.type === "tuple") return (param.components ?? []).map(sample);
  if (!(param.type in SAMPLES)) throw new Error(`no sample for ${param.type}`);
  return SAMPLES[param.type];
}

function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") return Object.keys(value).filter((k) => /^\d+$/.test(k)).map((k) => plain((value as Record<string, unknown>)[k]));
  return typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value) ? value.toLowerCase() : value;
}

it("encodes every function's call data and decodes every output as web3-eth-abi does", () => {
  const { abi } = marketArtifact();
  const codec = new MarketCodec(abi);
  let checked = 0;
  for (const item of abi.filter((i) => i.type === "function")) {
    const args = (item.inputs ?? []).map(sample);
    assert.equal(codec.encodeCall(item.name!, args), coder.encodeFunctionCall(item, args), `call data of ${signature(item)}`);
    const outputs = item.outputs ?? [];
    if (outputs.length) {
      const values = outputs.map(sample);
      const data = coder.encodeParameters(outputs, values);
      const reference = coder.decodeParameters(outputs, data);
      assert.deepEqual(plain(codec.decodeResult(item.name!, data)), plain(outputs.map((_, i) => reference[i])), `outputs of ${item.name}`);
    }
    checked++;
  }
  assert.ok(checked > 20, "the whole ABI was covered");
  for (const item of abi.filter((i) => i.type === "event")) assert.equal(codec.eventTopic(item.name!), coder.encodeEventSignature(item), `topic of ${item.name}`);
});
