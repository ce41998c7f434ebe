"""The meeting detectors with fakes in place of the system: the commands' outputs as the
tools print them, and a /proc tree of our own."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from mobility_coach.adapters.meetings import (
    Camera,
    DoNotDisturb,
    FullScreen,
    Holds,
    Microphone,
    detect,
    pulse_server_running,
)


class Outputs:
    """A stand-in for running commands: each argv's output, None for a command that fails."""

    def __init__(self, outputs: dict[str, str | None]) -> None:
        self.outputs = outputs
        self.ran: list[str] = []

    def __call__(self, argv: Sequence[str]) -> str | None:
        command = " ".join(argv)
        self.ran.append(command)
        return self.outputs.get(command)


SOURCE_OUTPUT = """Source Output #{n}
\tDriver: protocol-native.c
\tSource: 1
\tProperties:
\t\tmedia.name = "{media}"
\t\tapplication.name = "{app}"
"""


def test_a_recording_stream_is_a_microphone_in_use_and_a_volume_meter_is_not() -> None:
    pactl = "pactl list source-outputs"
    meter = SOURCE_OUTPUT.format(n=3, media="Peak detect", app="PulseAudio Volume Control")
    call = SOURCE_OUTPUT.format(n=7, media="WebRTC VoiceEngine", app="Firefox")
    assert Microphone(Outputs({pactl: ""})).reason() is None
    assert Microphone(Outputs({pactl: None})).reason() is None  # no server: nothing to say
    assert Microphone(Outputs({pactl: meter})).reason() is None
    assert Microphone(Outputs({pactl: meter + "\n" + call})).reason() == "microphone in use"
    # No sound server: pactl is not run (it would start a PulseAudio of its own).
    nobody = Outputs({pactl: call})
    assert Microphone(nobody, server_running=lambda: False).reason() is None
    assert nobody.ran == []


def test_a_sound_server_is_running_where_its_socket_is(tmp_path: Path) -> None:
    assert pulse_server_running({"PULSE_SERVER": "unix:/x"})
    assert not pulse_server_running({"XDG_RUNTIME_DIR": str(tmp_path)})
    (tmp_path / "pulse").mkdir()
    (tmp_path / "pulse" / "native").touch()
    assert pulse_server_running({"XDG_RUNTIME_DIR": str(tmp_path)})
    assert not pulse_server_running({})


def fake_process(proc: Path, pid: int, targets: list[str]) -> None:
    fds = proc / str(pid) / "fd"
    fds.mkdir(parents=True)
    for number, target in enumerate(targets):
        os.symlink(target, fds / str(number))


def test_an_open_video_device_in_any_readable_process_is_the_camera_in_use(tmp_path: Path) -> None:
    fake_process(tmp_path, 100, ["/dev/null", "/dev/pts/1", "socket:[1234]"])
    (tmp_path / "self").mkdir()  # not a process number: not looked into
    (tmp_path / "200").mkdir()  # a process whose fds we may not read
    assert Camera(tmp_path).reason() is None
    fake_process(tmp_path, 300, ["/dev/null", "/dev/video0"])
    assert Camera(tmp_path).reason() == "camera in use"
    assert Camera(tmp_path / "missing").reason() is None


DBUS_INHIBITED = (
    "dbus-send --session --print-reply=literal --reply-timeout=2000 --dest=org.freedesktop.Notifications "
    "/org/freedesktop/Notifications org.freedesktop.DBus.Properties.Get "
    "string:org.freedesktop.Notifications string:Inhibited"
)


def test_do_not_disturb_from_dunst_gnome_or_the_notification_server() -> None:
    tools = frozenset({"dunstctl", "gsettings", "dbus-send"})
    banners = "gsettings get org.gnome.desktop.notifications show-banners"
    quiet = Outputs(
        {"dunstctl is-paused": "false\n", banners: "true\n", DBUS_INHIBITED: "   variant       boolean false\n"}
    )
    assert DoNotDisturb(quiet, tools).reason() is None
    assert DoNotDisturb(Outputs({"dunstctl is-paused": "true\n"}), tools).reason() == "do-not-disturb is on"
    assert DoNotDisturb(Outputs({banners: "false\n"}), tools).reason() == "do-not-disturb is on"
    kde = Outputs({DBUS_INHIBITED: "   variant       boolean true\n"})
    assert DoNotDisturb(kde, tools).reason() == "do-not-disturb is on"
    # Only the tools found are run.
    only_gnome = Outputs({"dunstctl is-paused": "true\n"})
    assert DoNotDisturb(only_gnome, frozenset({"gsettings"})).reason() is None
    assert only_gnome.ran == [banners]


def test_a_focused_full_screen_window_holds_and_a_plain_one_does_not() -> None:
    root = "xprop -root _NET_ACTIVE_WINDOW"
    full = "_NET_WM_STATE(ATOM) = _NET_WM_STATE_FULLSCREEN, _NET_WM_STATE_FOCUSED\n"
    plain = "_NET_WM_STATE(ATOM) = _NET_WM_STATE_MAXIMIZED_VERT\n"
    active = "_NET_ACTIVE_WINDOW(WINDOW): window id # 0x2a00007\n"
    assert FullScreen(Outputs({root: active, "xprop -id 0x2a00007 _NET_WM_STATE": full})).reason() == (
        "a full-screen window"
    )
    assert FullScreen(Outputs({root: active, "xprop -id 0x2a00007 _NET_WM_STATE": plain})).reason() is None
    assert FullScreen(Outputs({root: "_NET_ACTIVE_WINDOW(WINDOW): window id # 0x0\n"})).reason() is None
    assert FullScreen(Outputs({root: "_NET_ACTIVE_WINDOW:  not found.\n"})).reason() is None
    assert FullScreen(Outputs({})).reason() is None


class Fixed:
    def __init__(self, name: str, reason: str | None) -> None:
        self.name, self.said, self.asked = name, reason, 0

    def reason(self) -> str | None:
        self.asked += 1
        return self.said


def test_the_first_reason_holds_and_the_rest_are_not_asked() -> None:
    quiet, camera, dnd = Fixed("microphone", None), Fixed("camera", "camera in use"), Fixed("do-not-disturb", "x")
    holds = Holds([quiet, camera, dnd])
    assert holds() == "camera in use"
    assert (quiet.asked, camera.asked, dnd.asked) == (1, 1, 0)
    assert Holds([])() is None


def test_detectors_that_cannot_work_here_are_left_out_quietly() -> None:
    every = ("microphone", "camera", "do-not-disturb", "full-screen")
    nothing = detect(every, environ={}, which=lambda tool: None, platform="darwin")
    assert nothing.names == []
    desktop = {"DISPLAY": ":1", "DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1/bus"}
    everything = detect(every, environ=desktop, which=lambda tool: f"/usr/bin/{tool}", platform="linux")
    assert everything.names == list(every)
    chosen = detect(("camera",), environ=desktop, which=lambda tool: f"/usr/bin/{tool}", platform="linux")
    assert chosen.names == ["camera"]
    no_display = detect(every, environ={"DBUS_SESSION_BUS_ADDRESS": "x"}, which=lambda t: "/bin/" + t, platform="linux")
    assert no_display.names == ["microphone", "camera", "do-not-disturb"]


# As ``pactl list sources`` prints them (trimmed): a sink's monitor, and a real input.
SOURCES = """Source #0
\tState: RUNNING
\tName: alsa_output.pci-0000_00_1f.3.analog-stereo.monitor
\tDescription: Monitor of Built-in Audio Analog Stereo
\tDriver: module-alsa-card.c
\tMonitor of Sink: alsa_output.pci-0000_00_1f.3.analog-stereo
\tFlags: DECIBEL_VOLUME LATENCY
\tProperties:
\t\tdevice.description = "Monitor of Built-in Audio Analog Stereo"
\t\tdevice.class = "monitor"

Source #1
\tState: SUSPENDED
\tName: alsa_input.pci-0000_00_1f.3.analog-stereo
\tDescription: Built-in Audio Analog Stereo
\tDriver: module-alsa-card.c
\tMonitor of Sink: n/a
\tFlags: HARDWARE HW_MUTE_CTRL HW_VOLUME_CTRL DECIBEL_VOLUME LATENCY
\tProperties:
\t\tdevice.class = "sound"

Source #2
\tState: RUNNING
\tName: renamed_loopback
\tDescription: A monitor by another name
\tDriver: module-null-sink.c
\tMonitor of Sink: renamed
\tFlags: DECIBEL_VOLUME LATENCY
"""


def test_recording_what_the_speakers_play_is_not_a_microphone_in_use() -> None:
    """A visualiser (cava) or a screen recorder records a sink's monitor: the sound going
    out, not anyone speaking. Only a stream on a real input holds a break."""
    outputs = "pactl list source-outputs"
    sources = "pactl list sources"
    on_monitor = SOURCE_OUTPUT.format(n=4, media="cava", app="cava")
    on_renamed = SOURCE_OUTPUT.format(n=5, media="ALSA Capture", app="obs").replace("Source: 1", "Source: 2")
    on_input = SOURCE_OUTPUT.format(n=6, media="WebRTC VoiceEngine", app="Firefox")
    on_monitor = on_monitor.replace("Source: 1", "Source: 0")
    assert Microphone(Outputs({outputs: on_monitor, sources: SOURCES})).reason() is None
    assert Microphone(Outputs({outputs: on_monitor + on_renamed, sources: SOURCES})).reason() is None
    assert Microphone(Outputs({outputs: on_monitor + on_input, sources: SOURCES})).reason() == "microphone in use"
    # Sources that cannot be listed: a stream counts, as before (better held than interrupted).
    assert Microphone(Outputs({outputs: on_monitor, sources: None})).reason() == "microphone in use"
    # Nobody records: the sources are not even asked for.
    quiet = Outputs({outputs: "", sources: SOURCES})
    assert Microphone(quiet).reason() is None and quiet.ran == [outputs]
