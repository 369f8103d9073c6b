"""What the controls ask of the run, as commands to the training thread.

Each method returns the number `TrainingWorker.send` gave its command: the first snapshot whose
`acknowledged` reaches it shows the effect. Nothing here waits for the worker.
"""

from __future__ import annotations

from nnviz.session import Setup
from nnviz.ui.controls import ALPHA_FACTOR, AlphaControl, SpeedControl
from nnviz.ui.settings_panel import RunSettingsPanel
from nnviz.worker import Replace, SetAlpha, SetSpeedLimit, Start, Step, Toggle, TrainingWorker
from nnviz.worker.snapshot import Snapshot


class RunControl:
    def __init__(
        self,
        worker: TrainingWorker,
        alpha: AlphaControl,
        speed: SpeedControl,
        run_settings: RunSettingsPanel,
    ) -> None:
        self.worker, self.alpha, self.speed, self.run_settings = worker, alpha, speed, run_settings
        self._opened: tuple[int, str] | None = None  # File > Open's data and command, until handled
        alpha.alpha_changed.connect(self.set_alpha)
        speed.limit_changed.connect(lambda limit: worker.send(SetSpeedLimit(limit)))

    def toggle_running(self) -> int:
        return self.worker.send(Toggle())

    def step(self) -> int:
        return self.worker.send(Step())  # the worker ignores it while running

    def run_until(self, iteration: int) -> int:
        return self.worker.send(Start(until=iteration))

    def set_alpha(self, alpha: float) -> int:
        return self.worker.send(SetAlpha(alpha))

    def alpha_up(self) -> None:
        self.alpha.scale(ALPHA_FACTOR)

    def alpha_down(self) -> None:
        self.alpha.scale(1 / ALPHA_FACTOR)

    def set_speed_limit(self, limit: float | None) -> int:
        self.speed.set_limit(limit)
        return self.worker.send(SetSpeedLimit(limit))

    def reset(self) -> int:
        """Start over with the settings panel's values (and the current alpha), on the data last
        opened even if the training thread has not read it yet (the newer request supersedes it)."""
        if self._opened is not None:
            return self.use_data(self._opened[1])
        return self.worker.send(Replace(self.run_settings.setup(self.alpha.alpha)))

    def restore_defaults(self) -> int:
        """After a demonstration of alpha = 100, one click back to a run that learns."""
        data = self._opened[1] if self._opened else self.run_settings.setup(self.alpha.alpha).data
        defaults = Setup(data=data)
        self.alpha.set_alpha(defaults.config.alpha)
        self.set_speed_limit(None)
        return self.worker.send(Replace(defaults, reload=self._opened is not None))

    def use_data(self, spec: str) -> int:
        """Start over on the digits of `spec`, read afresh; data that cannot be used is refused and
        the run goes on."""
        setup = self.run_settings.setup(self.alpha.alpha, data=spec)
        number = self.worker.send(Replace(Setup(setup.data, None, setup.config), reload=True))
        self._opened = (number, spec)
        return number

    def show_snapshot(self, s: Snapshot) -> None:
        """Once the training thread has answered an Open (a new run, or a refusal), the settings
        panel knows the data in force again."""
        if self._opened is not None and s.acknowledged >= self._opened[0]:
            self._opened = None
