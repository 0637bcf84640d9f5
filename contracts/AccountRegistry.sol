// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title AccountRegistry
/// @notice What the Customer and Seller registries share: registered accounts with a password hash,
/// a carbon balance and the lots they hold, listed for supervision. Only the market changes them.
/// @dev A lookup mapping plus a list array (Uniswap's getPair/allPairs): every write is O(1), so the
/// 10,000th account costs what the 2nd did, and listings are paged by the caller.
abstract contract AccountRegistry {
    struct Account {
        bool registered;
        bytes32 passwordHash;
        uint256 carbonAmount;
        bytes32[] carbonIds;
    }

    address private immutable _deployer;
    address private _market;
    mapping(address account => Account) private _accounts;
    address[] private _accountList;

    /// @notice Only the market may change a registry.
    error RegistryUnauthorizedMarket(address caller);
    /// @notice Only the deployer may wire the registry, once.
    error RegistryUnauthorizedDeployer(address caller);
    error RegistryMarketAlreadySet(address market);
    error RegistryInvalidMarket(address market);
    error RegistryAlreadyRegistered(address account);
    error RegistryNotRegistered(address account);
    error RegistryInsufficientBalance(address account, uint256 balance, uint256 needed);

    event MarketSet(address indexed market);

    constructor() {
        _deployer = msg.sender;
    }

    modifier onlyMarket() {
        if (msg.sender != _market) revert RegistryUnauthorizedMarket(msg.sender);
        _;
    }

    modifier onlyRegistered(address account) {
        if (!_accounts[account].registered) revert RegistryNotRegistered(account);
        _;
    }

    /// @notice Wires the registry to its market. Callable once, by the deployer (the migration).
    /// @dev Emits MarketSet.
    function setMarket(address market_) external {
        if (msg.sender != _deployer) revert RegistryUnauthorizedDeployer(msg.sender);
        if (_market != address(0)) revert RegistryMarketAlreadySet(_market);
        if (market_ == address(0)) revert RegistryInvalidMarket(market_);
        _market = market_;
        emit MarketSet(market_);
    }

    /// @notice Registers `account` with its password hash. Market only; the account must be new.
    function register(address account, bytes32 passwordHash_) external onlyMarket {
        Account storage entry = _accounts[account];
        if (entry.registered) revert RegistryAlreadyRegistered(account);
        entry.registered = true;
        entry.passwordHash = passwordHash_;
        _accountList.push(account);
    }

    /// @notice Adds `amount` to a registered account's balance. Market only.
    function credit(address account, uint256 amount) external onlyMarket onlyRegistered(account) {
        _accounts[account].carbonAmount += amount;
    }

    /// @notice Takes `amount` from a registered account's balance. Market only; the balance must cover it.
    function debit(address account, uint256 amount) external onlyMarket onlyRegistered(account) {
        uint256 balance = _accounts[account].carbonAmount;
        if (balance < amount) revert RegistryInsufficientBalance(account, balance, amount);
        _accounts[account].carbonAmount = balance - amount;
    }

    /// @notice Records a lot among the account's lots (bought for a customer, published for a seller). Market only.
    function addCarbonId(address account, bytes32 carbonId) external onlyMarket onlyRegistered(account) {
        _accounts[account].carbonIds.push(carbonId);
    }

    function market() external view returns (address) {
        return _market;
    }

    function isRegistered(address account) external view returns (bool) {
        return _accounts[account].registered;
    }

    function passwordHash(address account) external view returns (bytes32) {
        return _accounts[account].passwordHash;
    }

    function carbonAmount(address account) external view returns (uint256) {
        return _accounts[account].carbonAmount;
    }

    function carbonIdCount(address account) external view returns (uint256) {
        return _accounts[account].carbonIds.length;
    }

    /// @notice Up to `limit` of the account's lot IDs from `offset` on, in the order they were added.
    function carbonIds(address account, uint256 offset, uint256 limit) external view returns (bytes32[] memory page) {
        bytes32[] storage ids = _accounts[account].carbonIds;
        page = new bytes32[](_pageLength(ids.length, offset, limit));
        for (uint256 i = 0; i < page.length; i++) page[i] = ids[offset + i];
    }

    function accountCount() external view returns (uint256) {
        return _accountList.length;
    }

    /// @notice Up to `limit` registered accounts from `offset` on, in registration order.
    function accounts(uint256 offset, uint256 limit) external view returns (address[] memory page) {
        page = new address[](_pageLength(_accountList.length, offset, limit));
        for (uint256 i = 0; i < page.length; i++) page[i] = _accountList[offset + i];
    }

    function _pageLength(uint256 total, uint256 offset, uint256 limit) internal pure returns (uint256) {
        if (offset >= total) return 0;
        uint256 remaining = total - offset;
        return limit < remaining ? limit : remaining;
    }
}
