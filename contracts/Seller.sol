// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccountRegistry} from "./AccountRegistry.sol";

/// @title Seller
/// @notice The trading entities that publish quota lots and settle their proceeds with the authority.
/// Their lot list holds the lots they published.
contract Seller is AccountRegistry {}
