"""Intelligence networks: working groups of member NCBs and named users, with moderators and
join requests. A record whose audience names a network is seen by its members only, on every
path; leaving removes access at once (cached tokens are forgotten in this process; another
server process honours it within ``VIGIL_TOKEN_CACHE_SECONDS``)."""

from __future__ import annotations

from dataclasses import dataclass

from vigil.access import service as access
from vigil.access import token_cache
from vigil.access.actors import Actor
from vigil.core import clock
from vigil.core.ids import new_id
from vigil.errors import Conflict, Forbidden, InvalidInput, NotFound
from vigil.messaging import store
from vigil.messaging.events import NetworkChanged
from vigil.messaging.models import JoinRequest, Network, NetworkIn, UserIn
from vigil.storage.uow import UnitOfWork


def create(uow: UnitOfWork, *, actor: Actor, network_in: NetworkIn) -> Network:
    """A new network of the members named (the creator's included); the creator moderates."""
    actor.require("networks.manage")
    members = sorted(set(network_in.members) | {actor.member})
    network_id = new_id()
    row = {
        "id": network_id, "name": network_in.name, "kind": network_in.kind.value,
        "description": network_in.description, "created_at": clock.now(),
        "created_by": actor.ref,
    }  # fmt: skip
    store.insert_network(uow.conn, row, members)
    if not actor.user_id.startswith("cli:"):
        store.set_user(uow.conn, network_id, actor.user_id, "moderator")
    uow.audit(actor, "networks.create", query={"network": network_id, "members": members})
    for member in members:
        if member != actor.member:
            uow.emit(NetworkChanged(network_id=network_id, name=network_in.name, member=member,
                                    joined=True))  # fmt: skip
    uow.after_commit(token_cache.clear)
    return _found(uow, network_id)


def get(uow: UnitOfWork, *, actor: Actor, network_id: str) -> Network:
    """A network: its name, kind, members and named users (a directory every NCB may read,
    to know whom to ask to join; its records stay its members')."""
    actor.require("networks.read")
    found = _found(uow, network_id)
    uow.audit(actor, "networks.read", query={"network": network_id})
    return found


@dataclass(frozen=True, slots=True)
class NetworkDossier:
    """A network as its page shows it to the actor: the join requests to its moderators only."""

    network: Network
    moderator: bool
    member: bool
    requests: list[JoinRequest] | None


def dossier(uow: UnitOfWork, *, actor: Actor, network_id: str) -> NetworkDossier:
    """A network with what the actor may do there: a moderator also sees its join requests."""
    network = get(uow, actor=actor, network_id=network_id)
    moderator = _moderates(network, actor)
    requests = store.requests_of(uow.conn, network_id) if moderator else None
    return NetworkDossier(network, moderator, actor.member in network.members, requests)


def list_networks(uow: UnitOfWork, *, actor: Actor, mine: bool = False) -> list[Network]:
    actor.require("networks.read")
    found = (
        store.networks_of_member(uow.conn, actor.member) if mine else store.all_networks(uow.conn)
    )
    uow.audit(actor, "networks.list", query={"mine": mine})
    return found


def add_member(uow: UnitOfWork, *, actor: Actor, network_id: str, member: str) -> Network:
    """A moderator adds a member NCB."""
    network = _moderated(uow, actor, network_id)
    if member in network.members:
        raise Conflict(f"{member} is a member already.")
    store.add_members(uow.conn, network_id, [member])
    uow.audit(actor, "networks.add_member", query={"network": network_id, "member": member})
    uow.emit(NetworkChanged(network_id=network_id, name=network.name, member=member, joined=True))
    uow.after_commit(token_cache.clear)
    return _found(uow, network_id)


def remove_member(uow: UnitOfWork, *, actor: Actor, network_id: str, member: str) -> Network:
    """A moderator removes a member, or a member's NCB leaves: from this commit its officers
    no longer see what the network shares."""
    actor.require("networks.manage")
    network = _found(uow, network_id)
    if member not in network.members:
        raise NotFound(f"{member} is not a member of this network.")
    if member != actor.member and not _moderates(network, actor):
        raise Forbidden("Only a moderator removes another member; a member may leave.")
    if network.members == [member]:
        raise Conflict("The last member cannot leave; the network would be orphaned.")
    store.remove_member(uow.conn, network_id, member)
    uow.audit(actor, "networks.remove_member", query={"network": network_id, "member": member})
    uow.emit(NetworkChanged(network_id=network_id, name=network.name, member=member, joined=False))
    uow.after_commit(token_cache.clear)
    return _found(uow, network_id)


def set_user(uow: UnitOfWork, *, actor: Actor, network_id: str, user_in: UserIn) -> Network:
    """A moderator names a user of a member NCB as a participant, or as a moderator."""
    network = _moderated(uow, actor, network_id)
    member = access.member_of(uow, user_id=user_in.user_id)
    if member is None or member not in network.members:
        raise InvalidInput("Name an active user of one of the network's members.")
    store.set_user(uow.conn, network_id, user_in.user_id, user_in.role)
    uow.audit(actor, "networks.set_user", query={"network": network_id, **user_in.model_dump()})
    return _found(uow, network_id)


def request_to_join(
    uow: UnitOfWork, *, actor: Actor, network_id: str, reason: str | None
) -> JoinRequest:
    """A member's NCB asks to join; the moderators decide."""
    actor.require("networks.manage")
    network = _found(uow, network_id)
    if actor.member in network.members:
        raise Conflict(f"{actor.member} is a member already.")
    request = JoinRequest(
        id=new_id(), network_id=network_id, member=actor.member, requested_by=actor.ref,
        requested_at=clock.now(), reason=reason, status="pending",
    )  # fmt: skip
    store.insert_request(uow.conn, request)
    uow.audit(actor, "networks.request", query={"network": network_id})
    return request


def join_requests(uow: UnitOfWork, *, actor: Actor, network_id: str) -> list[JoinRequest]:
    _moderated(uow, actor, network_id)
    return store.requests_of(uow.conn, network_id)


def decide(uow: UnitOfWork, *, actor: Actor, request_id: str, approve: bool) -> JoinRequest:
    """A moderator approves (the member joins) or refuses a join request."""
    request = store.get_request(uow.conn, request_id)
    if request is None:
        raise NotFound(f"No join request {request_id}.")
    network = _moderated(uow, actor, request.network_id)
    if request.status != "pending":
        raise Conflict(f"The request was {request.status} already.")
    now = clock.now()
    status = "approved" if approve else "refused"
    store.decide_request(uow.conn, request_id, status, actor.ref, now)
    uow.audit(actor, "networks.decide", query={"request": request_id, "status": status})
    if approve and request.member not in network.members:
        store.add_members(uow.conn, network.id, [request.member])
        uow.emit(NetworkChanged(network_id=network.id, name=network.name,
                                member=request.member, joined=True))  # fmt: skip
        uow.after_commit(token_cache.clear)
    return request.model_copy(update={"status": status, "decided_by": actor.ref, "decided_at": now})


def _found(uow: UnitOfWork, network_id: str) -> Network:
    found = store.get_network(uow.conn, network_id)
    if found is None:
        raise NotFound(f"No network {network_id}.")
    return found


def _moderates(network: Network, actor: Actor) -> bool:
    return any(u.user_id == actor.user_id and u.role == "moderator" for u in network.users)


def _moderated(uow: UnitOfWork, actor: Actor, network_id: str) -> Network:
    actor.require("networks.manage")
    network = _found(uow, network_id)
    if not _moderates(network, actor):
        raise Forbidden("Only the network's moderators may do this.")
    return network
