// EVM code that never stops: what a student sends to hold the chain for as long as its gas lasts.
// Ganache runs the EVM without yielding, so each one occupies the whole chain until it is out of gas.

/** Init code that loops: JUMPDEST PUSH1 0 JUMP. As an eth_call or eth_estimateGas it runs to the gas cap. */
export const LOOP = "0x5b600056";

/**
 * Init code that deploys LOOP as a contract's code (PUSH4 code, PUSH1 0, MSTORE, then RETURN its 4
 * bytes): a transaction to that contract runs to its own gas limit, the way a call runs to the cap.
 */
export const LOOPING_CONTRACT = "0x63" + LOOP.slice(2) + "600052" + "6004" + "601c" + "f3";
