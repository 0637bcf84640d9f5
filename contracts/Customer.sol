// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccountRegistry} from "./AccountRegistry.sol";

/// @title Customer
/// @notice The buyers: emitting enterprises that receive quota from the regulator and buy lots.
/// Their lot list holds the lots they bought.
contract Customer is AccountRegistry {}
