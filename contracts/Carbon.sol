// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccountName} from "./AccountName.sol";
import {AccountRegistry, RegistryStatus} from "./AccountRegistry.sol";
import {CarbonId} from "./CarbonId.sol";
import {Customer} from "./Customer.sol";
import {Operation} from "./Operation.sol";
import {Seller} from "./Seller.sol";
import {Allocation, ICompliance} from "./interfaces/ICompliance.sol";

/// @title Carbon
/// @notice The carbon emission trading market of the thesis: the regulator (the deployer, the government
/// authority) issues quota to customers, sellers publish lots with an ID and a price, customers buy
/// them, sellers settle with the authority, and the regulator supervises and freezes accounts.
/// @dev Business outcomes are the thesis's events `(sender, isSuccess, message)` on a successful
/// transaction and change nothing when isSuccess is false; unauthorised or malformed calls revert with
/// a custom error. Every method is O(1) in the number of accounts and lots. A frozen account neither
/// sends nor receives anything: it cannot register, receive quota, buy, publish, settle, or be paid.
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

    /// @dev One slot: publishing writes one new slot for the lot, and buying rewrites it. While the lot
    /// is for sale `place` is its 1-based place in the unsold index; once sold it is SOLD plus the
    /// buyer's customer number (Customer.accountAt), so recording the buyer costs no slot of its own.
    struct StoredLot {
        address seller;
        uint64 price;
        uint32 place;
    }

    /// @dev Issued and settled totals, in one slot: the first settlement of the market rewrites a
    /// slot that issuing already filled instead of filling a new one (20,000 gas).
    struct Totals {
        uint128 issued;
        uint128 settled;
    }

    /// @dev The lengths of the two lot lists, in one slot: publishing and buying update both with one write.
    struct LotCounts {
        uint32 all;
        uint32 unsold;
    }

    string private constant FROZEN = "This account is frozen";
    string private constant NAME_TAKEN = "This name is taken";
    string private constant FROZEN_RECEIVER = "This account is frozen and cannot receive quota";
    uint32 private constant SOLD = 1 << 31;

    string private constant CAP_EXCEEDED = "The cap of this period would be exceeded";
    string private constant PERIOD_ENDED = "The surrender deadline of the open period has passed: close it before issuing quota";

    Customer public immutable customerRegistry;
    Seller public immutable sellerRegistry;
    /// @notice The block the market was deployed in: its history (the logs) starts there.
    uint256 public immutable deploymentBlock;

    Totals private _totals;

    // The regulator, and the account it proposed to hand over to (zero: none). Stored, not immutable,
    // so that a lost or rotated key does not mean a new market; the modules read `regulator()` here on
    // every regulator call, so one handover moves the whole market.
    address private _regulator;
    address private _pendingRegulator;

    /// @notice The compliance cycle (periods, caps, surrender) and the order book: contracts of their
    /// own, wired once by the regulator (setModules), that the registries let move quota.
    ICompliance public compliance;
    address public exchange;

    /// @notice The lesson's modules (firms and their abatement; the allowance auction): each wired once
    /// by the regulator (setLesson, setAuction). Only the auction issues quota, on the same terms as the
    /// regulator (the open period's cap counts it), to the winners it has been paid by.
    address public lesson;
    address public auction;

    mapping(bytes32 carbonId => StoredLot) private _lots;
    LotCounts private _lotCounts;
    mapping(uint256 index => bytes32 carbonId) private _lotIds; // publication order
    // The unsold index: an enumerable set (swap-and-pop), so that publishing and buying keep it in O(1)
    // and listing what is for sale never reads a sold lot. Selling moves the last unsold lot into the gap.
    mapping(uint256 index => bytes32 carbonId) private _unsoldIds;

    // An enumerable set: position is 1-based so that 0 means "not frozen"; removal swaps with the last.
    mapping(address account => uint256 position) private _frozenPosition;
    address[] private _frozenAccounts;

    // Display names (AccountName), one per account whether customer, seller or both: the name as
    // chosen, and the account under the name's case-folded key, so that both lookups are one read
    // and a name is unique whatever its letter case.
    mapping(address account => bytes32 name) private _names;
    mapping(bytes32 key => address account) private _namedAccounts;

    /// @notice `caller` may not act for `account`.
    error CarbonUnauthorizedAccount(address caller, address account);
    /// @notice Only the regulator may do this.
    error CarbonUnauthorizedRegulator(address caller);
    /// @notice `account` is not a registered customer.
    error CarbonNotCustomer(address account);
    /// @notice `account` is not a registered seller.
    error CarbonNotSeller(address account);
    /// @notice `account` is neither a customer nor a seller.
    error CarbonNotRegistered(address account);
    error CarbonInvalidAccount(address account);
    /// @notice The password digest is zero: no client derives one, so it is a client's mistake.
    error CarbonEmptyPassword();
    error CarbonZeroAmount();
    /// @notice A price above `max` (2^64-1) does not fit the lot's packed storage.
    error CarbonPriceTooHigh(uint256 price, uint256 max);
    /// @notice Paying the seller would overflow its balance: 2^32 purchases at the highest price, so never in practice.
    error CarbonBalanceOverflow(address account);
    error CarbonCannotFreezeRegulator(address account);
    error CarbonRegistriesNotDistinct(address registry);
    error CarbonModulesAlreadySet();
    /// @notice Only the auction may issue quota this way.
    error CarbonUnauthorizedAuction(address caller);
    error CarbonInvalidModule(address module);
    /// @notice Only the proposed regulator may accept the handover.
    error CarbonUnauthorizedPendingRegulator(address caller, address pending);

    event NewCustomer(address sender, bool isSuccess, string message);
    event NewSeller(address sender, bool isSuccess, string message);
    event SendCarbonToCustomer(address sender, bool isSuccess, string message);
    event AddCarbon(address sender, bool isSuccess, string message);
    event BuyCarbon(address sender, bool isSuccess, string message);
    event SettleCarbon(address sender, bool isSuccess, string message);
    event FreezeAccount(address sender, bool isSuccess, string message);
    event UnfreezeAccount(address sender, bool isSuccess, string message);
    event SetName(address sender, bool isSuccess, string message);
    /// @notice `account` is called `name` from now on (a registration with a name, or setName):
    /// indexed, so that a client can keep its names up to date from the logs.
    event NameChanged(address indexed account, string name);
    event ModulesSet(address compliance, address exchange);
    event LessonSet(address lesson);
    event AuctionSet(address auction);
    event ProposeRegulator(address sender, bool isSuccess, string message);
    event AcceptRegulator(address sender, bool isSuccess, string message);
    /// @notice As Ownable2Step's OwnershipTransferStarted: `proposed` may now accept (zero: the
    /// proposal was withdrawn).
    event RegulatorProposed(address indexed previousRegulator, address indexed proposed);
    /// @notice As Ownable's OwnershipTransferred: `newRegulator` is the market's regulator from now on.
    event RegulatorTransferred(address indexed previousRegulator, address indexed newRegulator);

    /// @notice One per operation, beside the thesis's outcome event, so that an account's history can be
    /// read by topic (the outcome events' fields are not indexed). `counterparty` is the lot's seller
    /// for a purchase, and the regulator for issuing, settling and freezing; it is the zero address
    /// for a registration, a publication, and every failed operation, so that nobody's history fills
    /// with other people's failures.
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
        _regulator = msg.sender;
        emit RegulatorTransferred(address(0), msg.sender);
        customerRegistry = customerRegistry_;
        sellerRegistry = sellerRegistry_;
        deploymentBlock = block.number;
    }

    modifier onlyRegulator() {
        if (msg.sender != _regulator) revert CarbonUnauthorizedRegulator(msg.sender);
        _;
    }

    /// @dev Closing a compliance period freezes the accounts that did not comply (Compliance.enforce).
    modifier onlyRegulatorOrCompliance() {
        if (msg.sender != _regulator && msg.sender != address(compliance)) revert CarbonUnauthorizedRegulator(msg.sender);
        _;
    }

    modifier onlySelf(address account) {
        if (msg.sender != account) revert CarbonUnauthorizedAccount(msg.sender, account);
        _;
    }

    /// @notice Wires the compliance module and the order book, once: the market consults the first
    /// when issuing, and the customer registry lets each move quota as far as it needs (the book
    /// escrows and pays, compliance retires surrenders). The seller registry is left unwired: no
    /// module has any business with a seller's balance. The deployment's migration calls it.
    /// @dev Requires the regulator. Emits ModulesSet.
    function setModules(ICompliance compliance_, address exchange_) external onlyRegulator {
        if (address(compliance) != address(0)) revert CarbonModulesAlreadySet();
        if (address(compliance_).code.length == 0) revert CarbonInvalidModule(address(compliance_));
        if (exchange_.code.length == 0) revert CarbonInvalidModule(exchange_);
        (compliance, exchange) = (compliance_, exchange_);
        customerRegistry.setModules(address(compliance_), exchange_);
        emit ModulesSet(address(compliance_), exchange_);
    }

    /// @notice Wires the lesson (firms, their abatement, its verification of their reports), once: the
    /// clients find it here. It holds no right over the market.
    /// @dev Requires the regulator. Emits LessonSet.
    function setLesson(address lesson_) external onlyRegulator {
        if (lesson != address(0)) revert CarbonModulesAlreadySet();
        if (lesson_.code.length == 0) revert CarbonInvalidModule(lesson_);
        lesson = lesson_;
        emit LessonSet(lesson_);
    }

    /// @notice Wires the allowance auction, once: it issues what its winners paid for
    /// (issueFromAuction), on the regulator's terms; it touches no registry directly.
    /// @dev Requires the regulator. Emits AuctionSet.
    function setAuction(address auction_) external onlyRegulator {
        if (auction != address(0)) revert CarbonModulesAlreadySet();
        if (auction_.code.length == 0) revert CarbonInvalidModule(auction_);
        auction = auction_;
        emit AuctionSet(auction_);
    }

    // ---------------------------------------------------------------- regulator handover

    /// @notice The regulator proposes `proposed` as its successor (OpenZeppelin's Ownable2Step): nothing
    /// changes until that account accepts (acceptRegulator), so a mistyped address cannot take the
    /// market out of anyone's hands. A new proposal replaces the last; the zero address withdraws it.
    /// @dev Requires the regulator; not the regulator itself. Emits RegulatorProposed and
    /// ProposeRegulator: "Handover proposed" / "Handover withdrawn" / "This account is frozen" (a frozen
    /// account cannot regulate).
    function proposeRegulator(address proposed) external onlyRegulator {
        if (proposed == _regulator) revert CarbonInvalidAccount(proposed);
        bool ok = !isFrozen(proposed);
        if (ok) {
            _pendingRegulator = proposed;
            emit RegulatorProposed(msg.sender, proposed);
        }
        string memory success = proposed == address(0) ? "Handover withdrawn" : "Handover proposed";
        emit ProposeRegulator(msg.sender, ok, ok ? success : FROZEN);
        emit Activity(proposed, ok ? msg.sender : address(0), Operation.ProposeRegulator, 0, 0, ok);
    }

    /// @notice The proposed regulator accepts: from this transaction on it is `regulator()`, for the
    /// market, the compliance module and the order book alike, and the previous regulator is an
    /// ordinary account.
    /// @dev Requires the sender to be the proposed regulator. Emits RegulatorTransferred and
    /// AcceptRegulator: "You are the regulator" / "This account is frozen".
    function acceptRegulator() external {
        address pending = _pendingRegulator;
        if (msg.sender != pending || pending == address(0)) revert CarbonUnauthorizedPendingRegulator(msg.sender, pending);
        address previous = _regulator;
        bool ok = !isFrozen(pending); // frozen after the proposal: the handover waits for an unfreeze
        if (ok) {
            (_regulator, _pendingRegulator) = (pending, address(0));
            emit RegulatorTransferred(previous, pending);
        }
        emit AcceptRegulator(msg.sender, ok, ok ? "You are the regulator" : FROZEN);
        emit Activity(pending, ok ? previous : address(0), Operation.AcceptRegulator, 0, 0, ok);
    }

    // ---------------------------------------------------------------- registration

    /// @notice Registers the sender, `_customerAddr`, as a customer (a buyer).
    /// @dev Requires the sender to be the account (nobody registers anybody else, so nobody else
    /// knows its password) and a non-zero digest. `_password` is a slow, salted digest of the password
    /// derived by the client (call data is public); only a salted hash of it is stored. Emits
    /// NewCustomer: "Registration succeeded" / "This account is already registered" /
    /// "This account is frozen and cannot register".
    function newCustomer(address _customerAddr, bytes32 _password) external onlySelf(_customerAddr) {
        _newCustomer(_customerAddr, _password, 0, 0);
    }

    /// @notice Registers the sender, `_customerAddr`, as a customer under the display name `name`,
    /// unique in the market whatever its letter case (an account that is a seller already keeps one
    /// name: this one from now on).
    /// @dev As newCustomer; a name that breaks AccountName's rule reverts with its error. Emits
    /// NewCustomer: as newCustomer, or "This name is taken" (by another account; nothing is
    /// registered); and NameChanged on success.
    function newNamedCustomer(address _customerAddr, bytes32 _password, string calldata name)
        external
        onlySelf(_customerAddr)
    {
        (bytes32 packed, bytes32 key) = AccountName.pack(name);
        _newCustomer(_customerAddr, _password, packed, key);
    }

    /// @notice Registers the sender, `_sellerAddr`, as a seller (a trading entity).
    /// @dev As newCustomer. Emits NewSeller: "Successfully registered" / "This account is already
    /// registered" / "This account is frozen and cannot register".
    function newSeller(address _sellerAddr, bytes32 _password) external onlySelf(_sellerAddr) {
        _newSeller(_sellerAddr, _password, 0, 0);
    }

    /// @notice Registers the sender, `_sellerAddr`, as a seller under the display name `name`.
    /// @dev As newNamedCustomer. Emits NewSeller: as newSeller, or "This name is taken"; and
    /// NameChanged on success.
    function newNamedSeller(address _sellerAddr, bytes32 _password, string calldata name)
        external
        onlySelf(_sellerAddr)
    {
        (bytes32 packed, bytes32 key) = AccountName.pack(name);
        _newSeller(_sellerAddr, _password, packed, key);
    }

    /// @notice The sender, a customer or a seller, is called `name` from now on; its old name is free
    /// for others. Changing only the letter case of one's own name is a change like any other.
    /// @dev Requires the sender to be registered; a name that breaks AccountName's rule reverts with its
    /// error. Emits SetName: "Name changed" / "This name is taken" / "This account is frozen" (its
    /// identity stays as the regulator froze it); and NameChanged on success.
    function setName(string calldata name) external {
        (bytes32 packed, bytes32 key) = AccountName.pack(name);
        if (!customerRegistry.isRegistered(msg.sender) && !sellerRegistry.isRegistered(msg.sender)) {
            revert CarbonNotRegistered(msg.sender);
        }
        string memory failure;
        if (isFrozen(msg.sender)) failure = FROZEN;
        else if (!_isNameFreeFor(key, msg.sender)) failure = NAME_TAKEN;
        else _setName(msg.sender, packed, key);
        bool ok = bytes(failure).length == 0;
        emit SetName(msg.sender, ok, ok ? "Name changed" : failure);
        // The new name rides in the record's id word, so the account's history says what it became.
        emit Activity(msg.sender, address(0), Operation.SetName, ok ? packed : bytes32(0), 0, ok);
    }

    // ---------------------------------------------------------------- quota

    /// @notice The regulator issues `_amount` of quota to a registered customer.
    /// @dev Requires the regulator and a non-zero amount. Emits SendCarbonToCustomer:
    /// "Successfully issued quota" / "This account has not been registered, and the distribution failed" /
    /// "This account is frozen and cannot receive quota" / "The amount would overflow the account's balance" /
    /// "The amount would overflow the issued total" / "The cap of this period would be exceeded" (while a
    /// compliance period is open, issuing counts against its cap: Compliance.allocate) /
    /// "The surrender deadline of the open period has passed: close it before issuing quota" (quota
    /// issued then could no longer be reported or surrendered for, so it would count toward a period
    /// that is over in all but name; after closing it counts toward none until the next one opens).
    function sendCarbonToCustomer(address _receiver, uint256 _amount) external onlyRegulator {
        if (_amount == 0) revert CarbonZeroAmount();
        string memory failure = _issue(_receiver, _amount);
        bool ok = bytes(failure).length == 0;
        emit SendCarbonToCustomer(msg.sender, ok, ok ? "Successfully issued quota" : failure);
        emit Activity(_receiver, ok ? msg.sender : address(0), Operation.SendCarbonToCustomer, 0, _amount, ok);
    }

    /// @notice The auction issues `amount` to `receiver`, a winner who has paid for it: the same rules
    /// and outcome as the regulator's issue (the cap, a frozen or unregistered receiver), with the
    /// auction as its sender. Returns the refusal ("" when issued), so that the auction refunds a
    /// winner it could not deliver to rather than keep its money.
    /// @dev Requires the wired auction. Emits SendCarbonToCustomer and Activity, as sendCarbonToCustomer.
    function issueFromAuction(address receiver, uint256 amount) external returns (string memory failure) {
        if (msg.sender != auction) revert CarbonUnauthorizedAuction(msg.sender);
        if (amount == 0) revert CarbonZeroAmount();
        failure = _issue(receiver, amount);
        bool ok = bytes(failure).length == 0;
        emit SendCarbonToCustomer(msg.sender, ok, ok ? "Successfully issued quota" : failure);
        emit Activity(receiver, ok ? _regulator : address(0), Operation.SendCarbonToCustomer, 0, amount, ok);
    }

    /// @notice A seller publishes a lot `_carbonID` at `_price`, and it joins the unsold index.
    /// @dev Requires the sender to be the registered seller, a well-formed ID (see CarbonId) and a price
    /// from 1 to 2^64-1. Emits AddCarbon: "Successfully created quota" / "The quota has been added" /
    /// "This account is frozen".
    function addCarbon(address _sellerAddr, string calldata _carbonID, uint256 _price)
        external
        onlySelf(_sellerAddr)
    {
        bytes32 id = _carbonID.pack();
        if (_price == 0) revert CarbonZeroAmount();
        if (_price > type(uint64).max) revert CarbonPriceTooHigh(_price, type(uint64).max);

        string memory failure;
        if (_lots[id].seller != address(0)) failure = "The quota has been added";
        else {
            // The seller's lot list stays in the registry (the thesis's seller.sellcarbon): the call that
            // checks the registration and the freeze records the lot, so keeping it here would save nothing.
            RegistryStatus status = sellerRegistry.addCarbonId(_sellerAddr, id);
            if (status == RegistryStatus.NotRegistered) revert CarbonNotSeller(_sellerAddr);
            if (status == RegistryStatus.Frozen) failure = FROZEN;
        }
        if (bytes(failure).length == 0) {
            LotCounts memory counts = _lotCounts;
            _lots[id] = StoredLot({seller: _sellerAddr, price: uint64(_price), place: counts.unsold + 1});
            _lotIds[counts.all] = id;
            _unsoldIds[counts.unsold] = id;
            _lotCounts = LotCounts({all: counts.all + 1, unsold: counts.unsold + 1});
        }
        bool ok = bytes(failure).length == 0;
        if (!ok && _failedSellerCheck(_sellerAddr)) failure = FROZEN;
        emit AddCarbon(msg.sender, ok, ok ? "Successfully created quota" : failure);
        emit Activity(_sellerAddr, address(0), Operation.AddCarbon, id, _price, ok);
    }

    /// @notice A customer buys the lot `_carbonID` for its price in quota, paid to the lot's seller.
    /// @dev Requires the sender to be the registered customer and a well-formed ID. A lot is a licence
    /// and is sold once; it leaves the unsold index. Emits BuyCarbon: "Buy successfully" / "Buy failed"
    /// (balance below the price) / "The product does not exist" / "The quota has been sold" /
    /// "This account is frozen" / "You cannot buy your own quota" / "The seller of this quota is frozen".
    function buyCarbon(address _customerAddr, string calldata _carbonID) external onlySelf(_customerAddr) {
        bytes32 id = _carbonID.pack();
        StoredLot memory lot = _lots[id];

        string memory failure;
        if (lot.seller == address(0)) failure = "The product does not exist";
        else if (lot.place >= SOLD) failure = "The quota has been sold";
        else if (lot.seller == _customerAddr) failure = "You cannot buy your own quota";
        else if (isFrozen(lot.seller)) failure = "The seller of this quota is frozen";
        else {
            // The registry's copy of the freeze answers on the way: no read of our own on success.
            (RegistryStatus status, uint32 buyerNumber) = customerRegistry.debitFor(_customerAddr, lot.price, id);
            if (status == RegistryStatus.NotRegistered) revert CarbonNotCustomer(_customerAddr);
            if (status == RegistryStatus.Frozen) failure = FROZEN;
            else if (status == RegistryStatus.InsufficientBalance) failure = "Buy failed";
            else _sell(id, lot, buyerNumber);
        }
        bool ok = bytes(failure).length == 0;
        if (!ok) {
            if (!customerRegistry.isRegistered(_customerAddr)) revert CarbonNotCustomer(_customerAddr);
            if (isFrozen(_customerAddr)) failure = FROZEN; // first of all failures
        }
        emit BuyCarbon(msg.sender, ok, ok ? "Buy successfully" : failure);
        emit Activity(_customerAddr, ok ? lot.seller : address(0), Operation.BuyCarbon, id, lot.price, ok);
    }

    /// @notice A seller settles `_amount` of its proceeds with the authority.
    /// @dev Requires the sender to be the registered seller and a non-zero amount. Emits SettleCarbon:
    /// "Settlement succeeded" / "Insufficient balance, settlement failed" / "This account is frozen".
    function settleCarbon(address _sellerAddr, uint256 _amount) external onlySelf(_sellerAddr) {
        if (_amount == 0) revert CarbonZeroAmount();

        string memory failure;
        // The registry's copy of the freeze answers on the way: no read of our own.
        RegistryStatus status = sellerRegistry.debit(_sellerAddr, _amount);
        if (status == RegistryStatus.NotRegistered) revert CarbonNotSeller(_sellerAddr);
        if (status == RegistryStatus.Frozen) failure = FROZEN;
        else if (status == RegistryStatus.InsufficientBalance) failure = "Insufficient balance, settlement failed";
        else _totals.settled += uint128(_amount); // the debit succeeded, so _amount <= a balance <= issued
        bool ok = bytes(failure).length == 0;
        emit SettleCarbon(msg.sender, ok, ok ? "Settlement succeeded" : failure);
        emit Activity(_sellerAddr, ok ? _regulator : address(0), Operation.SettleCarbon, 0, _amount, ok);
    }

    // ---------------------------------------------------------------- risk control

    /// @notice The regulator freezes `account`: it can no longer register, receive quota, buy, publish,
    /// settle, or sell (its lots cannot be bought).
    /// @dev Requires the regulator, or the compliance module when it enforces a closed period; the
    /// regulator cannot freeze itself. Emits FreezeAccount: "Account frozen" / "This account is already frozen".
    function freezeAccount(address account) external onlyRegulatorOrCompliance {
        if (account == address(0)) revert CarbonInvalidAccount(account);
        if (account == _regulator) revert CarbonCannotFreezeRegulator(account);
        bool ok = !isFrozen(account);
        if (ok) {
            _frozenAccounts.push(account);
            _frozenPosition[account] = _frozenAccounts.length;
            _copyFreeze(account, true);
            emit FreezeAccount(msg.sender, true, "Account frozen");
        } else {
            emit FreezeAccount(msg.sender, false, "This account is already frozen");
        }
        emit Activity(account, ok ? msg.sender : address(0), Operation.FreezeAccount, 0, 0, ok);
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
            _copyFreeze(account, false);
            emit UnfreezeAccount(msg.sender, true, "Account unfrozen");
        } else {
            emit UnfreezeAccount(msg.sender, false, "This account is not frozen");
        }
        emit Activity(account, ok ? msg.sender : address(0), Operation.UnfreezeAccount, 0, 0, ok);
    }

    // ---------------------------------------------------------------- queries

    /// @notice The market's regulator: it issues quota, supervises, and runs the compliance cycle and
    /// the order book's controls (they ask here).
    function regulator() public view returns (address) {
        return _regulator;
    }

    /// @notice The account proposed as the next regulator (zero: none).
    function pendingRegulator() external view returns (address) {
        return _pendingRegulator;
    }

    /// @notice All quota ever issued (at most 2^128-1: issuing beyond is refused as an overflow).
    function issuedCarbonAmount() external view returns (uint256) {
        return _totals.issued;
    }

    /// @notice All quota ever settled with the authority.
    function settledCarbonAmount() external view returns (uint256) {
        return _totals.settled;
    }

    function getCustomerCarbonAmount(address _customerAddr) external view returns (uint256) {
        return customerRegistry.carbonAmount(_customerAddr);
    }

    function getSellerCarbonAmount(address _sellerAddr) external view returns (uint256) {
        return sellerRegistry.carbonAmount(_sellerAddr);
    }

    /// @notice Whether `_customerAddr` is a registered customer, and its salted password hash (login).
    function getCustomerPassword(address _customerAddr) external view returns (bool, bytes32) {
        bytes32 hash = customerRegistry.passwordHash(_customerAddr);
        return (hash != 0, hash);
    }

    /// @notice Whether `_sellerAddr` is a registered seller, and its salted password hash (login).
    function getSellerPassword(address _sellerAddr) external view returns (bool, bytes32) {
        bytes32 hash = sellerRegistry.passwordHash(_sellerAddr);
        return (hash != 0, hash);
    }

    /// @notice The salted hash stored for `account` with the password digest `digest`: what login
    /// compares with getCustomerPassword/getSellerPassword. 11 bytes, left-aligned, so that it shares a
    /// slot with the balance: the digest itself is public in the registration's call data, so a longer
    /// hash would protect nothing more (the slow KDF that makes the digest is what protects the password).
    function passwordHashOf(address account, bytes32 digest) public view returns (bytes32) {
        return bytes32(bytes11(keccak256(abi.encode(address(this), account, digest))));
    }

    /// @notice The account's display name ("" if it has none).
    function nameOf(address account) external view returns (string memory) {
        return AccountName.unpack(_names[account]);
    }

    /// @notice The display names of `accounts_`, in their order ("" for one without): a page of rows
    /// in one call.
    function namesOf(address[] calldata accounts_) external view returns (string[] memory names) {
        names = new string[](accounts_.length);
        for (uint256 i = 0; i < accounts_.length; i++) names[i] = AccountName.unpack(_names[accounts_[i]]);
    }

    /// @notice The account called `name`, whatever its letter case (the zero address if none, or if
    /// `name` could not be a name).
    function accountNamed(string calldata name) external view returns (address) {
        bytes32 key = AccountName.keyOf(name);
        return key == 0 ? address(0) : _namedAccounts[key];
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
        return _lotCounts.all;
    }

    /// @notice Up to `limit` lots from `offset` on, in publication order.
    function getCarbons(uint256 offset, uint256 limit) external view returns (Lot[] memory page) {
        page = new Lot[](_pageLength(_lotCounts.all, offset, limit));
        for (uint256 i = 0; i < page.length; i++) page[i] = _lot(_lotIds[offset + i]);
    }

    /// @notice How many lots are for sale.
    function getUnsoldCarbonCount() external view returns (uint256) {
        return _lotCounts.unsold;
    }

    /// @notice Up to `limit` lots for sale from `offset` on. The order is publication order until a
    /// lot is sold; then the last lot for sale takes its place (so a lot sold between two pages can
    /// move one lot from the end to an earlier page).
    function getUnsoldCarbons(uint256 offset, uint256 limit) external view returns (Lot[] memory page) {
        page = new Lot[](_pageLength(_lotCounts.unsold, offset, limit));
        for (uint256 i = 0; i < page.length; i++) page[i] = _lot(_unsoldIds[offset + i]);
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
        page = new address[](_pageLength(_frozenAccounts.length, offset, limit));
        for (uint256 i = 0; i < page.length; i++) page[i] = _frozenAccounts[offset + i];
    }

    // ---------------------------------------------------------------- internal

    /// @dev Issuing's checks and effects, for the regulator and the auction alike: "" when issued, else
    /// why not (and nothing changed).
    function _issue(address _receiver, uint256 _amount) private returns (string memory failure) {
        Allocation allocation;
        Totals memory totals = _totals;
        if (_amount > type(uint128).max - totals.issued) {
            failure = "The amount would overflow the issued total";
        } else {
            // The registry's copy of the freeze answers on the way: no read of our own on success.
            RegistryStatus status = customerRegistry.credit(_receiver, _amount);
            if (status == RegistryStatus.NotRegistered) {
                failure = "This account has not been registered, and the distribution failed";
            } else if (status == RegistryStatus.Frozen) {
                failure = FROZEN_RECEIVER;
            } else if (status == RegistryStatus.BalanceOverflow) {
                failure = "The amount would overflow the account's balance";
            } else if (address(compliance) != address(0) && (allocation = compliance.allocate(_receiver, _amount)) != Allocation.Counted) {
                // Refused by the compliance cycle: take the credit back (the account was just credited,
                // so it is registered and unfrozen and the debit cannot fail).
                customerRegistry.debit(_receiver, _amount);
                failure = allocation == Allocation.OverCap ? CAP_EXCEEDED : PERIOD_ENDED;
            } else {
                _totals.issued = uint128(totals.issued + _amount);
            }
        }
        if (bytes(failure).length != 0 && isFrozen(_receiver)) failure = FROZEN_RECEIVER; // first of all failures
    }

    /// @dev The freeze lives here (the list, and the only truth for accounts not yet registered) and, as
    /// a copy, in the registries' account slots, which every credit and debit reads anyway: a frozen
    /// account cannot register, so the copy is right from registration on.
    function _copyFreeze(address account, bool frozen) private {
        customerRegistry.setFrozen(account, frozen);
        sellerRegistry.setFrozen(account, frozen);
    }

    /// @dev On a failed publication: reverts unless the publisher is a seller, and tells whether it
    /// is frozen (whose message comes first of all failures).
    function _failedSellerCheck(address seller) private view returns (bool frozen) {
        if (!sellerRegistry.isRegistered(seller)) revert CarbonNotSeller(seller);
        return isFrozen(seller);
    }

    function _newCustomer(address account, bytes32 digest, bytes32 name, bytes32 key) private {
        string memory failure = _register(customerRegistry, account, digest, name, key);
        bool ok = bytes(failure).length == 0;
        emit NewCustomer(msg.sender, ok, ok ? "Registration succeeded" : failure);
        emit Activity(account, address(0), Operation.NewCustomer, 0, 0, ok);
    }

    function _newSeller(address account, bytes32 digest, bytes32 name, bytes32 key) private {
        string memory failure = _register(sellerRegistry, account, digest, name, key);
        bool ok = bytes(failure).length == 0;
        emit NewSeller(msg.sender, ok, ok ? "Successfully registered" : failure);
        emit Activity(account, address(0), Operation.NewSeller, 0, 0, ok);
    }

    /// @param key Zero for a registration without a name (the account keeps any name it has).
    /// @return failure The failure message, or "" when the account was registered.
    function _register(AccountRegistry registry, address account, bytes32 digest, bytes32 name, bytes32 key)
        private
        returns (string memory failure)
    {
        if (digest == 0) revert CarbonEmptyPassword();
        if (isFrozen(account)) return "This account is frozen and cannot register";
        if (key != 0 && !_isNameFreeFor(key, account)) return NAME_TAKEN;
        if (!registry.register(account, bytes11(passwordHashOf(account, digest)))) return "This account is already registered";
        if (key != 0) _setName(account, name, key);
        return "";
    }

    function _isNameFreeFor(bytes32 key, address account) private view returns (bool) {
        address holder = _namedAccounts[key];
        return holder == address(0) || holder == account;
    }

    /// @dev Frees the account's old name (if any) first: renaming "ana" to "Ana" keeps the key.
    function _setName(address account, bytes32 name, bytes32 key) private {
        bytes32 old = _names[account];
        if (old != 0) delete _namedAccounts[AccountName.fold(old)];
        _names[account] = name;
        _namedAccounts[key] = account;
        emit NameChanged(account, AccountName.unpack(name));
    }

    /// @dev The rest of a purchase once the customer has paid (Customer.debitFor): the seller is paid,
    /// the lot records its buyer and leaves the unsold index. Quota moves only here, in issuing
    /// (credit) and in settling (debit), so "customers + sellers == issued - settled" holds.
    function _sell(bytes32 id, StoredLot memory lot, uint32 buyerNumber) private {
        if (sellerRegistry.credit(lot.seller, lot.price) != RegistryStatus.Done) revert CarbonBalanceOverflow(lot.seller);
        uint32 last = _lotCounts.unsold;
        if (lot.place != last) {
            bytes32 moved = _unsoldIds[last - 1];
            _unsoldIds[lot.place - 1] = moved;
            _lots[moved].place = lot.place;
        }
        delete _unsoldIds[last - 1];
        _lotCounts.unsold = last - 1;
        // Customer numbers stay below 2^31: one registration per transaction.
        _lots[id].place = SOLD | buyerNumber;
    }

    function _lot(bytes32 id) private view returns (Lot memory) {
        StoredLot memory stored = _lots[id];
        if (stored.seller == address(0)) return Lot({carbonId: "", price: 0, seller: address(0), buyer: address(0)});
        address buyer = stored.place >= SOLD ? customerRegistry.accountAt(stored.place - SOLD) : address(0);
        return Lot({carbonId: CarbonId.unpack(id), price: stored.price, seller: stored.seller, buyer: buyer});
    }

    function _lotPage(bytes32[] memory ids) private view returns (Lot[] memory page) {
        page = new Lot[](ids.length);
        for (uint256 i = 0; i < ids.length; i++) page[i] = _lot(ids[i]);
    }

    function _pageLength(uint256 total, uint256 offset, uint256 limit) private pure returns (uint256) {
        if (offset >= total) return 0;
        uint256 remaining = total - offset;
        return limit < remaining ? limit : remaining;
    }
}
