"""Live collection: the facts of KB 979174 gathered over the network from a running directory.

One module per protocol (:mod:`.dns_srv`, :mod:`.ldap_dir`, :mod:`.sntp`, :mod:`.ports`), and
:mod:`.runner`, which schedules their probes concurrently with a timeout each. A probe that
fails yields what it can say (a port in state ``unknown``) and a :class:`.model.ProbeError`
naming the probe, the host and the error; it never ends the collection. Every fact carries its
provenance: ``source.collector`` is ``live``, ``source.reader`` the probe, ``source.host`` the
collecting machine, ``source.command`` what was asked of which server, and ``observed_at`` the
time of the answer.
"""
