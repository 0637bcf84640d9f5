// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccountRegistry} from "./AccountRegistry.sol";
import {CarbonId} from "./CarbonId.sol";
import {Customer} from "./Customer.sol";
import {Seller} from "./Seller.sol";

/// @title Carbon
/// @notice The carbon emission trading market of the thesis: the regulator (the deployer, the government
/// authority) issues quota to customers, sellers publish lots with an ID and a price, customers buy
/// them, sellers settle with the authority, and the regulator supervises and freezes accounts.
/// @dev Business outcomes are the thesis's events `(sender, isSuccess, message)` on a successful
/// transaction and change nothing when isSuccess is false; unauthorised or malformed calls revert with
/// a custom error. Every method is O(1) in the number of accounts and lots.
contract Carbon {
    using CarbonId for string;

    /// @notice What the market and the clients say about a lot. `buyer` is the zero address while unsold;
    /// `seller` is the zero address for a lot that does not exist.
    struct Lot {
        string carbonId;
        uint256 price;
        address seller;
        address buyer;
    }

    struct StoredLot {
        uint256 price;
        address seller;
        address buyer;
    }

    /// @notice The kinds of operation an Activity record describes, in the thesis's order.
    enum Operation {
        NewCustomer,
        NewSeller,
        SendCarbonToCustomer,
        AddCarbon,
        BuyCarbon,
        SettleCarbon,
        FreezeAccount,
        UnfreezeAccount
    }

    address public immutable regulator;
    Customer public immutable customerRegistry;
    Seller public immutable sellerRegistry;

    uint256 public issuedCarbonAmount;
    uint256 public settledCarbonAmount;

    mapping(bytes32 carbonId => StoredLot) private _lots;
    bytes32[] private _lotIds;

    // An enumerable set: position is 1-based so that 0 means "not frozen"; removal swaps with the last.
    mapping(address account => uint256 position) private _frozenPosition;
    address[] private _frozenAccounts;

    /// @notice `caller` may not act for `account`.
    error CarbonUnauthorizedAccount(address caller, address account);
    /// @notice Only the regulator may do this.
    error CarbonUnauthorizedRegulator(address caller);
    /// @notice `account` is not a registered customer.
    error CarbonNotCustomer(address account);
    /// @notice `account` is not a registered seller.
    error CarbonNotSeller(address account);
    error CarbonInvalidAccount(address account);
    error CarbonEmptyPassword();
    error CarbonZeroAmount();
    error CarbonCannotFreezeRegulator(address account);
    error CarbonRegistriesNotDistinct(address registry);

    event NewCustomer(address sender, bool isSuccess, string message);
    event NewSeller(address sender, bool isSuccess, string message);
    event SendCarbonToCustomer(address sender, bool isSuccess, string message);
    event AddCarbon(address sender, bool isSuccess, string message);
    event BuyCarbon(address sender, bool isSuccess, string message);
    event SettleCarbon(address sender, bool isSuccess, string message);
    event FreezeAccount(address sender, bool isSuccess, string message);
    event UnfreezeAccount(address sender, bool isSuccess, string message);

    /// @notice One per operation, beside the thesis's outcome event, so that an account's history can be
    /// read by topic (the outcome events' fields are not indexed). `counterparty` is the lot's seller
    /// for a purchase, the regulator for issuing, settling and freezing, and whoever registered someone else.
    event Activity(
        address indexed account,
        address indexed counterparty,
        Operation indexed operation,
        bytes32 carbonId,
        uint256 amount,
        bool isSuccess
    );

    constructor(Customer customerRegistry_, Seller sellerRegistry_) {
        if (address(customerRegistry_) == address(sellerRegistry_)) {
            revert CarbonRegistriesNotDistinct(address(customerRegistry_));
        }
        regulator = msg.sender;
        customerRegistry = customerRegistry_;
        sellerRegistry = sellerRegistry_;
    }

    modifier onlyRegulator() {
        if (msg.sender != regulator) revert CarbonUnauthorizedRegulator(msg.sender);
        _;
    }

    /// @dev Registration is the one act the regulator may do for someone else.
    modifier onlySelfOrRegulator(address account) {
        if (account == address(0)) revert CarbonInvalidAccount(account);
        if (msg.sender != account && msg.sender != regulator) revert CarbonUnauthorizedAccount(msg.sender, account);
        _;
    }

    modifier onlySelf(address account) {
        if (msg.sender != account) revert CarbonUnauthorizedAccount(msg.sender, account);
        _;
    }

    // ---------------------------------------------------------------- registration

    /// @notice Registers `_customerAddr` as a customer (a buyer).
    /// @dev Requires the sender to be the account or the regulator, and a non-empty password. Clients
    /// should pass a key-derived digest, not the password itself: call data is public. Only a salted
    /// hash is stored. Emits NewCustomer: "Registration succeeded" / "This account is already registered".
    function newCustomer(address _customerAddr, string calldata _password)
        external
        onlySelfOrRegulator(_customerAddr)
    {
        bool isNew = _register(customerRegistry, _customerAddr, _password);
        emit NewCustomer(msg.sender, isNew, isNew ? "Registration succeeded" : "This account is already registered");
        _recordActivity(_customerAddr, _registrar(_customerAddr), Operation.NewCustomer, 0, 0, isNew);
    }

    /// @notice Registers `_sellerAddr` as a seller (a trading entity).
    /// @dev As newCustomer. Emits NewSeller: "Successfully registered" / "This account is already registered".
    function newSeller(address _sellerAddr, string calldata _password) external onlySelfOrRegulator(_sellerAddr) {
        bool isNew = _register(sellerRegistry, _sellerAddr, _password);
        emit NewSeller(msg.sender, isNew, isNew ? "Successfully registered" : "This account is already registered");
        _recordActivity(_sellerAddr, _registrar(_sellerAddr), Operation.NewSeller, 0, 0, isNew);
    }

    // ---------------------------------------------------------------- quota

    /// @notice The regulator issues `_amount` of quota to a registered customer.
    /// @dev Requires the regulator and a non-zero amount. Emits SendCarbonToCustomer:
    /// "Successfully issued quota" / "This account has not been registered, and the distribution failed".
    function sendCarbonToCustomer(address _receiver, uint256 _amount) external onlyRegulator {
        if (_amount == 0) revert CarbonZeroAmount();
        bool registered = customerRegistry.isRegistered(_receiver);
        if (registered) {
            _moveCarbon(AccountRegistry(address(0)), address(0), customerRegistry, _receiver, _amount);
            emit SendCarbonToCustomer(msg.sender, true, "Successfully issued quota");
        } else {
            emit SendCarbonToCustomer(
                msg.sender, false, "This account has not been registered, and the distribution failed"
            );
        }
        _recordActivity(_receiver, msg.sender, Operation.SendCarbonToCustomer, 0, _amount, registered);
    }

    /// @notice A seller publishes a lot `_carbonID` at `_price`.
    /// @dev Requires the sender to be the registered seller, an ID of 1 to 32 bytes of UTF-8 and a
    /// non-zero price. Emits AddCarbon: "Successfully created quota" / "The quota has been added" /
    /// "This account is frozen".
    function addCarbon(address _sellerAddr, string calldata _carbonID, uint256 _price)
        external
        onlySelf(_sellerAddr)
    {
        bytes32 id = _carbonID.pack();
        if (_price == 0) revert CarbonZeroAmount();
        if (!sellerRegistry.isRegistered(_sellerAddr)) revert CarbonNotSeller(_sellerAddr);

        string memory failure;
        if (isFrozen(_sellerAddr)) failure = "This account is frozen";
        else if (_lots[id].seller != address(0)) failure = "The quota has been added";

        bool ok = bytes(failure).length == 0;
        if (ok) {
            _lots[id] = StoredLot({price: _price, seller: _sellerAddr, buyer: address(0)});
            _lotIds.push(id);
            sellerRegistry.addCarbonId(_sellerAddr, id);
            emit AddCarbon(msg.sender, true, "Successfully created quota");
        } else {
            emit AddCarbon(msg.sender, false, failure);
        }
        _recordActivity(_sellerAddr, address(0), Operation.AddCarbon, id, _price, ok);
    }

    /// @notice A customer buys the lot `_carbonID` for its price in quota, paid to the lot's seller.
    /// @dev Requires the sender to be the registered customer and a well-formed ID. A lot is a licence
    /// and is sold once. Emits BuyCarbon: "Buy successfully" / "Buy failed" (balance below the price) /
    /// "The product does not exist" / "The quota has been sold" / "This account is frozen".
    function buyCarbon(address _customerAddr, string calldata _carbonID) external onlySelf(_customerAddr) {
        bytes32 id = _carbonID.pack();
        if (!customerRegistry.isRegistered(_customerAddr)) revert CarbonNotCustomer(_customerAddr);

        StoredLot storage lot = _lots[id];
        string memory failure;
        if (isFrozen(_customerAddr)) failure = "This account is frozen";
        else if (lot.seller == address(0)) failure = "The product does not exist";
        else if (lot.buyer != address(0)) failure = "The quota has been sold";
        else if (customerRegistry.carbonAmount(_customerAddr) < lot.price) failure = "Buy failed";

        bool ok = bytes(failure).length == 0;
        if (ok) {
            lot.buyer = _customerAddr;
            customerRegistry.addCarbonId(_customerAddr, id);
            _moveCarbon(customerRegistry, _customerAddr, sellerRegistry, lot.seller, lot.price);
            emit BuyCarbon(msg.sender, true, "Buy successfully");
        } else {
            emit BuyCarbon(msg.sender, false, failure);
        }
        _recordActivity(_customerAddr, lot.seller, Operation.BuyCarbon, id, lot.price, ok);
    }

    /// @notice A seller settles `_amount` of its proceeds with the authority.
    /// @dev Requires the sender to be the registered seller and a non-zero amount. Emits SettleCarbon:
    /// "Settlement succeeded" / "Insufficient balance, settlement failed" / "This account is frozen".
    function settleCarbon(address _sellerAddr, uint256 _amount) external onlySelf(_sellerAddr) {
        if (_amount == 0) revert CarbonZeroAmount();
        if (!sellerRegistry.isRegistered(_sellerAddr)) revert CarbonNotSeller(_sellerAddr);

        string memory failure;
        if (isFrozen(_sellerAddr)) failure = "This account is frozen";
        else if (sellerRegistry.carbonAmount(_sellerAddr) < _amount) failure = "Insufficient balance, settlement failed";

        bool ok = bytes(failure).length == 0;
        if (ok) {
            _moveCarbon(sellerRegistry, _sellerAddr, AccountRegistry(address(0)), address(0), _amount);
            emit SettleCarbon(msg.sender, true, "Settlement succeeded");
        } else {
            emit SettleCarbon(msg.sender, false, failure);
        }
        _recordActivity(_sellerAddr, regulator, Operation.SettleCarbon, 0, _amount, ok);
    }

    // ---------------------------------------------------------------- risk control

    /// @notice The regulator freezes `account`: its purchases, publications and settlements fail.
    /// @dev Requires the regulator; the regulator cannot freeze itself. Emits FreezeAccount:
    /// "Account frozen" / "This account is already frozen".
    function freezeAccount(address account) external onlyRegulator {
        if (account == address(0)) revert CarbonInvalidAccount(account);
        if (account == regulator) revert CarbonCannotFreezeRegulator(account);
        bool ok = !isFrozen(account);
        if (ok) {
            _frozenAccounts.push(account);
            _frozenPosition[account] = _frozenAccounts.length;
            emit FreezeAccount(msg.sender, true, "Account frozen");
        } else {
            emit FreezeAccount(msg.sender, false, "This account is already frozen");
        }
        _recordActivity(account, msg.sender, Operation.FreezeAccount, 0, 0, ok);
    }

    /// @notice The regulator lifts the freeze on `account`.
    /// @dev Requires the regulator. Emits UnfreezeAccount: "Account unfrozen" / "This account is not frozen".
    function unfreezeAccount(address account) external onlyRegulator {
        uint256 position = _frozenPosition[account];
        bool ok = position != 0;
        if (ok) {
            address last = _frozenAccounts[_frozenAccounts.length - 1];
            _frozenAccounts[position - 1] = last;
            _frozenPosition[last] = position;
            _frozenAccounts.pop();
            delete _frozenPosition[account];
            emit UnfreezeAccount(msg.sender, true, "Account unfrozen");
        } else {
            emit UnfreezeAccount(msg.sender, false, "This account is not frozen");
        }
        _recordActivity(account, msg.sender, Operation.UnfreezeAccount, 0, 0, ok);
    }

    // ---------------------------------------------------------------- queries

    function getCustomerCarbonAmount(address _customerAddr) external view returns (uint256) {
        return customerRegistry.carbonAmount(_customerAddr);
    }

    function getSellerCarbonAmount(address _sellerAddr) external view returns (uint256) {
        return sellerRegistry.carbonAmount(_sellerAddr);
    }

    /// @notice Whether `_customerAddr` is a registered customer, and its salted password hash (login).
    function getCustomerPassword(address _customerAddr) external view returns (bool, bytes32) {
        return (customerRegistry.isRegistered(_customerAddr), customerRegistry.passwordHash(_customerAddr));
    }

    /// @notice Whether `_sellerAddr` is a registered seller, and its salted password hash (login).
    function getSellerPassword(address _sellerAddr) external view returns (bool, bytes32) {
        return (sellerRegistry.isRegistered(_sellerAddr), sellerRegistry.passwordHash(_sellerAddr));
    }

    /// @notice The salted hash stored for `account` with `password`: what login compares against.
    function passwordHashOf(address account, string calldata password) public view returns (bytes32) {
        return keccak256(abi.encode(address(this), account, password));
    }

    function isFrozen(address account) public view returns (bool) {
        return _frozenPosition[account] != 0;
    }

    /// @notice One lot; its seller is the zero address if no lot has this ID.
    function getCarbon(string calldata _carbonID) external view returns (Lot memory) {
        return _lot(_carbonID.pack());
    }

    function getCustomerCount() external view returns (uint256) {
        return customerRegistry.accountCount();
    }

    function getCustomers(uint256 offset, uint256 limit) external view returns (address[] memory) {
        return customerRegistry.accounts(offset, limit);
    }

    function getSellerCount() external view returns (uint256) {
        return sellerRegistry.accountCount();
    }

    function getSellers(uint256 offset, uint256 limit) external view returns (address[] memory) {
        return sellerRegistry.accounts(offset, limit);
    }

    function getCarbonCount() external view returns (uint256) {
        return _lotIds.length;
    }

    /// @notice Up to `limit` lots from `offset` on, in publication order.
    function getCarbons(uint256 offset, uint256 limit) external view returns (Lot[] memory page) {
        uint256 total = _lotIds.length;
        uint256 length = offset >= total ? 0 : _min(limit, total - offset);
        page = new Lot[](length);
        for (uint256 i = 0; i < length; i++) page[i] = _lot(_lotIds[offset + i]);
    }

    function getSellerCarbonCount(address _sellerAddr) external view returns (uint256) {
        return sellerRegistry.carbonIdCount(_sellerAddr);
    }

    /// @notice Up to `limit` of the lots `_sellerAddr` published, from `offset` on.
    function getSellerCarbons(address _sellerAddr, uint256 offset, uint256 limit) external view returns (Lot[] memory) {
        return _lotPage(sellerRegistry.carbonIds(_sellerAddr, offset, limit));
    }

    function getCustomerCarbonCount(address _customerAddr) external view returns (uint256) {
        return customerRegistry.carbonIdCount(_customerAddr);
    }

    /// @notice Up to `limit` of the lots `_customerAddr` bought, from `offset` on.
    function getCustomerCarbons(address _customerAddr, uint256 offset, uint256 limit)
        external
        view
        returns (Lot[] memory)
    {
        return _lotPage(customerRegistry.carbonIds(_customerAddr, offset, limit));
    }

    function getFrozenCount() external view returns (uint256) {
        return _frozenAccounts.length;
    }

    /// @notice Up to `limit` frozen accounts from `offset` on (order changes as accounts are unfrozen).
    function getFrozenAccounts(uint256 offset, uint256 limit) external view returns (address[] memory page) {
        uint256 total = _frozenAccounts.length;
        uint256 length = offset >= total ? 0 : _min(limit, total - offset);
        page = new address[](length);
        for (uint256 i = 0; i < length; i++) page[i] = _frozenAccounts[offset + i];
    }

    // ---------------------------------------------------------------- internal

    function _register(AccountRegistry registry, address account, string calldata password) private returns (bool) {
        if (bytes(password).length == 0) revert CarbonEmptyPassword();
        if (registry.isRegistered(account)) return false;
        registry.register(account, passwordHashOf(account, password));
        return true;
    }

    /// @dev The one path that moves quota, so "customers + sellers == issued - settled" holds in one
    /// place: a zero `from` registry mints (issuing), a zero `to` registry burns (settling).
    function _moveCarbon(
        AccountRegistry from,
        address fromAccount,
        AccountRegistry to,
        address toAccount,
        uint256 amount
    ) private {
        if (address(from) == address(0)) issuedCarbonAmount += amount;
        else from.debit(fromAccount, amount);
        if (address(to) == address(0)) settledCarbonAmount += amount;
        else to.credit(toAccount, amount);
    }

    function _recordActivity(
        address account,
        address counterparty,
        Operation operation,
        bytes32 carbonId,
        uint256 amount,
        bool isSuccess
    ) private {
        emit Activity(account, counterparty, operation, carbonId, amount, isSuccess);
    }

    function _registrar(address account) private view returns (address) {
        return msg.sender == account ? address(0) : msg.sender;
    }

    function _lot(bytes32 id) private view returns (Lot memory) {
        StoredLot storage stored = _lots[id];
        string memory carbonId = stored.seller == address(0) ? "" : CarbonId.unpack(id);
        return Lot({carbonId: carbonId, price: stored.price, seller: stored.seller, buyer: stored.buyer});
    }

    function _lotPage(bytes32[] memory ids) private view returns (Lot[] memory page) {
        page = new Lot[](ids.length);
        for (uint256 i = 0; i < ids.length; i++) page[i] = _lot(ids[i]);
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }
}
