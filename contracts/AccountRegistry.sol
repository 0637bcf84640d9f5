// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice What a registry reports back to the market, so that the market turns it into a business
/// outcome (or a revert) without a second call to ask first.
enum RegistryStatus {
    Done,
    NotRegistered,
    Frozen,
    InsufficientBalance,
    BalanceOverflow
}

/// @title AccountRegistry
/// @notice What the Customer and Seller registries share: registered accounts with a password hash,
/// a carbon balance and the lots they hold, listed for supervision. Only the market changes them.
/// @dev A lookup mapping plus a list array (Uniswap's getPair/allPairs): every write is O(1), so the
/// 10,000th account costs what the 2nd did, and listings are paged by the caller. An account's hash,
/// frozen flag, balance, lot count and number (its place in the list) share one storage slot: the
/// read that every credit or debit makes anyway tells whether the account is registered (a non-zero
/// hash) and frozen, what it holds and where its next lot goes; and the market records a lot's buyer
/// as the buyer's number, in the lot's own slot.
abstract contract AccountRegistry {
    struct Account {
        bytes11 passwordHash; // zero while unregistered: the hash is the "registered" flag (gas savings)
        bool frozen; // a copy of the market's freeze, kept by Carbon.freezeAccount/unfreezeAccount
        uint96 carbonAmount; // up to 7.9e28: issuing beyond it is refused as an overflow
        uint32 carbonIdCount;
        uint32 number; // the account's index in _accountList
    }

    address private immutable _deployer;
    address private _market;
    // The market's modules (Compliance, OrderBook), set once by the market: they move quota too.
    address private _compliance;
    address private _exchange;
    mapping(address account => Account) private _accounts;
    mapping(address account => mapping(uint256 index => bytes32 carbonId)) private _carbonIds;
    address[] private _accountList;

    /// @notice Only the market (or, where a method says so, the order book) may change a registry.
    error RegistryUnauthorizedMarket(address caller);
    /// @notice Only the one module this method serves may call it.
    error RegistryUnauthorizedModule(address caller);
    error RegistryModulesAlreadySet();
    /// @notice Only the deployer may wire the registry, once.
    error RegistryUnauthorizedDeployer(address caller);
    error RegistryMarketAlreadySet(address market);
    error RegistryInvalidMarket(address market);
    /// @notice A zero hash would read as "not registered".
    error RegistryInvalidPasswordHash();

    event MarketSet(address indexed market);
    event ModulesSet(address compliance, address exchange);

    constructor() {
        _deployer = msg.sender;
    }

    modifier onlyMarket() {
        if (msg.sender != _market) revert RegistryUnauthorizedMarket(msg.sender);
        _;
    }

    /// @dev Each module holds only the rights it uses: the order book credits and debits (a trade, an
    /// ask's escrow) and releases (escrow returned); the compliance module only retires (a surrender).
    /// The market's own calls pay one comparison more than before; the book's pay two reads.
    modifier onlyMarketOrExchange() {
        if (msg.sender != _market && msg.sender != _exchange) revert RegistryUnauthorizedMarket(msg.sender);
        _;
    }

    modifier onlyExchange() {
        if (msg.sender != _exchange) revert RegistryUnauthorizedModule(msg.sender);
        _;
    }

    modifier onlyCompliance() {
        if (msg.sender != _compliance) revert RegistryUnauthorizedModule(msg.sender);
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

    /// @notice Lets the market's modules move quota, each as far as it needs: the compliance cycle
    /// retires (surrender), the order book credits, debits and releases (trades and escrow). Callable
    /// once, by the market (Carbon.setModules, which wires the customer registry only).
    /// @dev Emits ModulesSet.
    function setModules(address compliance_, address exchange_) external onlyMarket {
        if (_compliance != address(0) || _exchange != address(0)) revert RegistryModulesAlreadySet();
        (_compliance, _exchange) = (compliance_, exchange_);
        emit ModulesSet(compliance_, exchange_);
    }

    /// @notice Registers `account` with its password hash, unless it is registered already. Market only.
    /// @return isNew Whether the account was registered by this call.
    function register(address account, bytes11 passwordHash_) external onlyMarket returns (bool isNew) {
        if (passwordHash_ == 0) revert RegistryInvalidPasswordHash();
        Account storage entry = _accounts[account];
        if (entry.passwordHash != 0) return false;
        // One registration per transaction: the list never reaches 2^32 entries.
        (entry.passwordHash, entry.number) = (passwordHash_, uint32(_accountList.length));
        _accountList.push(account);
        return true;
    }

    /// @notice Marks a registered account frozen or not (an unregistered one is left alone). Market only.
    function setFrozen(address account, bool frozen) external onlyMarket {
        Account storage entry = _accounts[account];
        if (entry.passwordHash != 0) entry.frozen = frozen;
    }

    /// @notice Adds `amount` to a registered, unfrozen account's balance. Market or order book only.
    /// @return status Done, NotRegistered, Frozen or BalanceOverflow; nothing changes unless Done.
    function credit(address account, uint256 amount) external onlyMarketOrExchange returns (RegistryStatus status) {
        Account storage entry = _accounts[account];
        (bytes11 hash, bool frozen, uint96 balance) = (entry.passwordHash, entry.frozen, entry.carbonAmount);
        if (hash == 0) return RegistryStatus.NotRegistered;
        if (frozen) return RegistryStatus.Frozen;
        if (amount > type(uint96).max - balance) return RegistryStatus.BalanceOverflow;
        entry.carbonAmount = uint96(balance + amount);
        return RegistryStatus.Done;
    }

    /// @notice Takes `amount` from a registered, unfrozen account's balance. Market or order book only.
    /// @return status Done, NotRegistered, Frozen or InsufficientBalance; nothing changes unless Done.
    function debit(address account, uint256 amount) external onlyMarketOrExchange returns (RegistryStatus status) {
        Account storage entry = _accounts[account];
        (bytes11 hash, bool frozen, uint96 balance) = (entry.passwordHash, entry.frozen, entry.carbonAmount);
        if (hash == 0) return RegistryStatus.NotRegistered;
        if (frozen) return RegistryStatus.Frozen;
        if (balance < amount) return RegistryStatus.InsufficientBalance;
        entry.carbonAmount = uint96(balance - amount);
        return RegistryStatus.Done;
    }

    /// @notice Gives `amount` back to a registered account, frozen or not: escrow returned (an order
    /// cancelled or expired) is the account's own quota, not a receipt. Order book only.
    /// @return status Done, NotRegistered or BalanceOverflow; nothing changes unless Done.
    function release(address account, uint256 amount) external onlyExchange returns (RegistryStatus status) {
        Account storage entry = _accounts[account];
        (bytes11 hash, uint96 balance) = (entry.passwordHash, entry.carbonAmount);
        if (hash == 0) return RegistryStatus.NotRegistered;
        if (amount > type(uint96).max - balance) return RegistryStatus.BalanceOverflow;
        entry.carbonAmount = uint96(balance + amount);
        return RegistryStatus.Done;
    }

    /// @notice Takes `amount` from a registered account for good, frozen or not: a surrender, by which
    /// a frozen (non-compliant) account becomes compliant. Compliance module only.
    /// @return status Done, NotRegistered or InsufficientBalance; nothing changes unless Done.
    function retire(address account, uint256 amount) external onlyCompliance returns (RegistryStatus status) {
        Account storage entry = _accounts[account];
        (bytes11 hash, uint96 balance) = (entry.passwordHash, entry.carbonAmount);
        if (hash == 0) return RegistryStatus.NotRegistered;
        if (balance < amount) return RegistryStatus.InsufficientBalance;
        entry.carbonAmount = uint96(balance - amount);
        return RegistryStatus.Done;
    }

    /// @notice Takes `amount` from a registered, unfrozen account's balance and records `carbonId`
    /// among its lots (a customer's purchase), in one call. Market only.
    /// @return status Done, NotRegistered, Frozen or InsufficientBalance; nothing changes unless Done.
    /// @return number The account's number (accountAt), by which the market records the buyer.
    function debitFor(address account, uint256 amount, bytes32 carbonId)
        external
        onlyMarket
        returns (RegistryStatus status, uint32 number)
    {
        Account storage entry = _accounts[account];
        (bytes11 hash, bool frozen, uint96 balance, uint32 count) =
            (entry.passwordHash, entry.frozen, entry.carbonAmount, entry.carbonIdCount);
        if (hash == 0) return (RegistryStatus.NotRegistered, 0);
        if (frozen) return (RegistryStatus.Frozen, 0);
        if (balance < amount) return (RegistryStatus.InsufficientBalance, 0);
        (entry.carbonAmount, entry.carbonIdCount) = (uint96(balance - amount), count + 1);
        _carbonIds[account][count] = carbonId;
        return (RegistryStatus.Done, entry.number);
    }

    /// @notice Records `carbonId` among a registered, unfrozen account's lots (a seller's publication).
    /// Market only.
    /// @return status Done, NotRegistered or Frozen; nothing changes unless Done.
    function addCarbonId(address account, bytes32 carbonId) external onlyMarket returns (RegistryStatus status) {
        Account storage entry = _accounts[account];
        (bytes11 hash, bool frozen, uint32 count) = (entry.passwordHash, entry.frozen, entry.carbonIdCount);
        if (hash == 0) return RegistryStatus.NotRegistered;
        if (frozen) return RegistryStatus.Frozen;
        entry.carbonIdCount = count + 1;
        _carbonIds[account][count] = carbonId;
        return RegistryStatus.Done;
    }

    function market() external view returns (address) {
        return _market;
    }

    /// @notice The market's modules allowed to move quota (zero until Carbon.setModules).
    function modules() external view returns (address compliance, address exchange) {
        return (_compliance, _exchange);
    }

    function isRegistered(address account) external view returns (bool) {
        return _accounts[account].passwordHash != 0;
    }

    /// @notice The stored hash, left-aligned in 32 bytes (zero if unregistered).
    function passwordHash(address account) external view returns (bytes32) {
        return bytes32(_accounts[account].passwordHash);
    }

    function carbonAmount(address account) external view returns (uint256) {
        return _accounts[account].carbonAmount;
    }

    function carbonIdCount(address account) external view returns (uint256) {
        return _accounts[account].carbonIdCount;
    }

    /// @notice Up to `limit` of the account's lot IDs from `offset` on, in the order they were added.
    function carbonIds(address account, uint256 offset, uint256 limit) external view returns (bytes32[] memory page) {
        mapping(uint256 => bytes32) storage ids = _carbonIds[account];
        page = new bytes32[](_pageLength(_accounts[account].carbonIdCount, offset, limit));
        for (uint256 i = 0; i < page.length; i++) page[i] = ids[offset + i];
    }

    /// @notice The account registered `number`-th (from 0).
    function accountAt(uint256 number) external view returns (address) {
        return _accountList[number];
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
