package io.wafleet.router.lifecycle;

/** What the events of one request carry besides their state: whose request, for which account. */
record RequestContext(String requestId, String operationId, String requestedBy, String accountId, String accountName) {}
