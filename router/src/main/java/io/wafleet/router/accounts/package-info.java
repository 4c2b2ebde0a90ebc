/**
 * Account state: where each account is and in what state ({@code AccountRegistry}), read from the compacted
 * wa.account-state for the partitions this router owns ({@code AccountStates}), written with each event in one
 * transaction ({@code Publisher}, {@code Transactions}), upgraded once from wa.connection-events ({@code
 * StateUpgrade}).
 */
package io.wafleet.router.accounts;
