/** Server selection: the fleet snapshot, pools and their rules, the balancers, per-server loads. */
package io.wafleet.router.select;
