package io.wafleet.router.lifecycle;

import io.wafleet.router.accounts.Account;

/** What the events of one request carry besides their state: whose request, for which account. */
record RequestContext(String requestId, String operationId, String requestedBy, String accountId, String accountName) {

    /** The context of the request that brought the account where it is. */
    static RequestContext of(Account account) {
        return new RequestContext(
                account.requestId(),
                account.operationId(),
                account.requestedBy(),
                account.accountId(),
                account.accountName());
    }
}
