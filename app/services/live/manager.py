"""Live calls of this worker: start, resume, audio, stop, and the hand-off on drain.

The socket namespace calls these methods with an authenticated principal and validated
payloads; every failure is an :class:`~app.errors.AppError` with a protocol code.
Admission and caps (admission.py), call rows (call_rows.py), coach assembly
(coach_assembly.py), audio checks (audio_checks.py), the janitor, leases and the drain
(janitor.py) live in their own modules; this class holds the calls and wires them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask

from app.errors import AppError, NotFound
from app.events import CallState, ErrorCode
from app.services import privacy
from app.services.attribution import profiles as voice_profiles
from app.services.attribution.live import CallAttribution
from app.services.auth import Principal
from app.services.live import audio_checks, call_rows
from app.services.live.admission import Admission, TeamLock
from app.services.live.call import CallIdentity, LiveCall
from app.services.live.coach_assembly import CoachAssembly, LlmFactory
from app.services.live.coaching_state import CoachingStates
from app.services.live.corrections import correct_line
from app.services.live.emitter import Emit
from app.services.live.janitor import Janitor, drain
from app.services.live.privacy import CallPrivacy, confirm_consent, setup_fields
from app.services.live.writer import UtteranceWriter
from app.services.transcription.base import AudioFormat, Transcriber, TranscriberUnavailable
from app.services.transcription.opus_input import input_for

STOP_FLUSH_TIMEOUT_S = 8.0


@dataclass(frozen=True)
class ManagerSettings:
    grace_seconds: float
    max_calls_per_team: int
    max_calls_per_user: int
    max_chunk_bytes: int
    transcriber_name: str
    coach_name: str
    coaching_snapshot_s: float = 2.0


class LiveCallManager:
    def __init__(
        self,
        app: Flask,
        settings: ManagerSettings,
        emit: Emit,
        transcriber: Callable[[], Transcriber],
        llm_factory: LlmFactory | None = None,
        on_call_ended: Callable[[str], None] | None = None,
        team_lock: TeamLock | None = None,
    ) -> None:
        self.app = app
        self.settings = settings
        self.emit = emit
        self._transcriber = transcriber
        self._on_call_ended = on_call_ended
        self.admission = Admission(
            settings.max_calls_per_team, settings.max_calls_per_user, team_lock
        )
        self.coaches = CoachAssembly(llm_factory)
        self.janitor = Janitor(app, self, settings.grace_seconds, settings.coaching_snapshot_s)
        self.states = CoachingStates(app)
        self.calls: dict[str, LiveCall] = {}
        self._lock = threading.RLock()
        self.writer = UtteranceWriter(
            app, on_delay=self._saving_delayed, on_recover=self._saving_recovered
        )

    @property
    def draining(self) -> bool:
        return self.admission.draining

    @draining.setter
    def draining(self, value: bool) -> None:
        self.admission.draining = value

    def start_background(self) -> None:
        self.writer.start()
        self.janitor.start()

    # ------------------------------------------------------------------ start / resume
    def start(self, principal: Principal, sid: str, data: dict[str, Any]) -> LiveCall:
        self.admission.check_open()
        self.start_background()
        if data.get("resume_call_id"):
            return self.resume(principal, sid, data)
        s, team = self.settings, privacy.settings_for(principal.team_id)
        data, columns = setup_fields(data, team)  # typed title and goal redacted, consent
        call = self.admission.admit(principal, data, s.transcriber_name, s.coach_name, columns)
        live = LiveCall(
            CallIdentity(call.id, principal.team_id, principal.user_id, time.monotonic()),
            self.emit,
            self.writer,
        )
        live.privacy = CallPrivacy.of(team, call)
        try:
            self._open(live, data, offset_ms=0)
        except AppError:
            call_rows.never_opened(call)
            raise
        live.coach = self.coaches.build(live, call)
        return self._attach(live, sid)

    @staticmethod
    def send_guidance(live: LiveCall) -> dict[str, Any] | None:
        """Send the call's current guidance to its room (the brief for a new call); the
        socket handler calls this once the rep has joined the room."""
        return live.coach.start() if live.coach is not None else None

    def resume(self, principal: Principal, sid: str, data: dict[str, Any]) -> LiveCall:
        call_id = data["resume_call_id"]
        with self._lock:
            live = self.calls.get(call_id)
        if live is not None:
            self._check_owner(live, principal)
            return self._attach(live, sid)
        return self._revive(principal, sid, data)

    def _revive(self, principal: Principal, sid: str, data: dict[str, Any]) -> LiveCall:
        """A live call this worker does not hold (after a restart): reopen its streams."""
        call = call_rows.revive(principal, data["resume_call_id"])
        elapsed_ms = call_rows.resume_offset_ms(call)
        live = LiveCall(
            CallIdentity(call.id, call.team_id, call.user_id, time.monotonic() - elapsed_ms / 1000),
            self.emit,
            self.writer,
        )
        live.privacy = CallPrivacy.of(privacy.settings_for(call.team_id), call)
        self._open(live, data, offset_ms=elapsed_ms)
        resume_seq = data.get("resume_seq") or {}
        for name, entry in live.sources.items():
            entry.orderer.next_seq = resume_seq.get(name)  # None: learnt from the resend
        state = self.states.load(call.id)
        live.coach = self.coaches.build(live, call, state)
        return self._attach(live, sid)

    def _open(self, live: LiveCall, data: dict[str, Any], offset_ms: int) -> None:
        mixed = data["sources"] == ["rep"]  # one microphone: both voices may be on it
        audio = AudioFormat(**data["audio"], mixed=mixed)
        if mixed:
            live.attribution = CallAttribution(voice_profiles.vector_of(live.identity.user_id))
        try:
            live.open_streams(
                input_for(self._transcriber(), audio), audio, data["sources"], offset_ms
            )
        except TranscriberUnavailable as exc:
            live.abort_streams()
            raise AppError(
                "Transcription is unavailable right now.",
                status=503,
                code=ErrorCode.TRANSCRIBER_UNAVAILABLE,
                fields={"reason": exc.code},
            ) from exc

    def _attach(self, live: LiveCall, sid: str) -> LiveCall:
        with self._lock:
            self.calls[live.call_id] = live
            live.owner_sid, live.detached_at = sid, None
        live.announce()
        return live

    # ------------------------------------------------------------------ audio / stop
    def owned_call(self, principal: Principal, call_id: str) -> LiveCall:
        with self._lock:
            live = self.calls.get(call_id)
        if live is None:
            raise NotFound("No live call with this id.", code=ErrorCode.NOT_FOUND)
        self._check_owner(live, principal)
        return live

    @staticmethod
    def _check_owner(live: LiveCall, principal: Principal) -> None:
        if (live.identity.team_id, live.identity.user_id) != (principal.team_id, principal.user_id):
            raise NotFound("No live call with this id.", code=ErrorCode.NOT_FOUND)

    def audio(self, principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
        live = self.owned_call(principal, data["call_id"])
        audio_checks.check_chunk(live, data, self.settings.max_chunk_bytes)
        problem = audio_checks.framing_problem(live, data["data"])  # bad: its seq is used up
        chunk = b"" if problem else data["data"]
        audio_checks.check_received(live.receive(data["source"], data["seq"], chunk), problem)
        if live.privacy.consent_pending:  # acknowledged, dropped before the recognizer
            return {"seq": data["seq"], "discarded": "consent_pending"}
        return {"seq": data["seq"]}

    def confirm_consent(self, principal: Principal, call_id: str) -> dict[str, Any]:
        """The rep says the prospect agreed: stored with the call, then audio flows."""
        live = self.owned_call(principal, call_id)
        return confirm_consent(live.call_id, live.privacy, principal)

    def stop(self, principal: Principal, call_id: str) -> dict[str, Any]:
        live = self.owned_call(principal, call_id)
        return {"call_id": call_id, "duration_s": self.end(live, CallState.ENDED)}

    def end(self, live: LiveCall, state: CallState) -> float:
        """Flush streams, store the last finals and the live summary, close the call."""
        with self._lock:
            if self.calls.pop(live.call_id, None) is None:
                return 0.0
        live.finish_streams(STOP_FLUSH_TIMEOUT_S)
        summary = live.coach.summary() if live.coach else None
        guidance = live.coach.last_guidance if live.coach else None
        if live.coach:
            live.coach.close()
        self.writer.flush(STOP_FLUSH_TIMEOUT_S)
        live.emit_status(state)
        live.closed = True
        self.states.forget(live.call_id)
        with self.app.app_context():
            voice_profiles.learn_from_call(live.identity.user_id, live.rep_voices, live.call_id)
            call = call_rows.close(live.call_id, state, summary, guidance)
            live.release()
            if call is None:
                return 0.0
            self.after_end(live.call_id)
            return call.duration_s or 0.0

    def after_end(self, call_id: str) -> None:
        """Post-call work (the analysis job is queued here), inside an app context."""
        if self._on_call_ended is not None:
            self._on_call_ended(call_id)

    def correct(self, principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
        """Re-attribute a line (``transcript:correct`` or REST); see live/corrections.py."""
        with self._lock:
            live = self.calls.get(data["call_id"])
        return correct_line(
            principal, data["call_id"], data["utterance_id"], data["source"], live, self.emit
        )

    # ------------------------------------------------------------------ held calls
    def detach(self, sid: str) -> None:
        """The owner's connection dropped: keep the call for the grace period."""
        with self._lock:
            owned = [c for c in self.calls.values() if c.owner_sid == sid]
            for live in owned:
                live.owner_sid, live.detached_at = None, time.monotonic()
        for live in owned:
            live.emit_status(CallState.RECONNECTING, "client_disconnected")

    def live_calls_of(self, user_id: str) -> list[LiveCall]:
        with self._lock:
            return [c for c in self.calls.values() if c.identity.user_id == user_id]

    def held_ids(self) -> set[str]:
        with self._lock:
            return set(self.calls)

    def live_calls(self) -> list[LiveCall]:
        with self._lock:
            return list(self.calls.values())

    def detached_before(self, cutoff: float) -> list[LiveCall]:
        with self._lock:
            return [
                c
                for c in self.calls.values()
                if c.detached_at is not None and c.detached_at <= cutoff
            ]

    def save_coaching_states(self, force: bool = False) -> int:
        with self._lock:
            calls = list(self.calls.values())
        return self.states.save(calls, force)

    def _saving_delayed(self, call_ids: set[str]) -> None:
        for call_id in call_ids:
            if (live := self.calls.get(call_id)) is not None:
                live.set_saving_delayed(True)

    def _saving_recovered(self, call_ids: set[str]) -> None:
        for call_id in call_ids:
            if (live := self.calls.get(call_id)) is not None:
                live.set_saving_delayed(False)

    def shutdown(self, timeout: float) -> list[str]:
        """Graceful stop: new calls are refused, every held call is drained (janitor.drain)."""
        self.janitor.stop()
        self.draining = True
        with self._lock:
            calls = list(self.calls.values())
            self.calls.clear()
        drain(self.app, calls, (self.writer, self.states), timeout)
        return [live.call_id for live in calls]
