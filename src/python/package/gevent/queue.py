"""gevent.queue on Hornet's loop: Queue (FIFO), LifoQueue, PriorityQueue, JoinableQueue."""

import collections
import heapq
from queue import Empty, Full  # gevent's are the standard library's

from ._hub import Waiters

__all__ = ["Queue", "LifoQueue", "PriorityQueue", "JoinableQueue", "Empty", "Full"]


class Queue:
    """A queue greenlets put to and get from, waiting when it is empty or full."""

    def __init__(self, maxsize=None, items=()):
        self.maxsize = maxsize if maxsize and maxsize > 0 else None
        self._init(items)
        self._getters = Waiters()
        self._putters = Waiters()

    def _init(self, items):
        self.queue = collections.deque(items)

    def _put(self, item):
        self.queue.append(item)

    def _get(self):
        return self.queue.popleft()

    def qsize(self):
        return len(self.queue)

    __len__ = qsize

    def empty(self):
        return not self.queue

    def full(self):
        return self.maxsize is not None and len(self.queue) >= self.maxsize

    def put(self, item, block=True, timeout=None):
        while self.full():
            if not block or not self._putters.wait(timeout):
                raise Full
        self._put(item)
        self._getters.notify(1)

    def put_nowait(self, item):
        self.put(item, block=False)

    def get(self, block=True, timeout=None):
        while not self.queue:
            if not block or not self._getters.wait(timeout):
                raise Empty
        item = self._get()
        self._putters.notify(1)
        return item

    def get_nowait(self):
        return self.get(block=False)

    def peek(self, block=True, timeout=None):
        while not self.queue:
            if not block or not self._getters.wait(timeout):
                raise Empty
        return self.queue[0]

    def __iter__(self):
        return self

    def __next__(self):
        item = self.get()
        if item is StopIteration:
            raise StopIteration
        return item


class LifoQueue(Queue):
    def _get(self):
        return self.queue.pop()


class PriorityQueue(Queue):
    def _init(self, items):
        self.queue = list(items)
        heapq.heapify(self.queue)

    def _put(self, item):
        heapq.heappush(self.queue, item)

    def _get(self):
        return heapq.heappop(self.queue)


class JoinableQueue(Queue):
    """A Queue whose join() waits until task_done() was called for every item put."""

    def __init__(self, maxsize=None, items=()):
        super().__init__(maxsize, items)
        self.unfinished_tasks = len(self.queue)
        self._joiners = Waiters()

    def _put(self, item):
        super()._put(item)
        self.unfinished_tasks += 1

    def task_done(self):
        if self.unfinished_tasks <= 0:
            raise ValueError("task_done() called too many times")
        self.unfinished_tasks -= 1
        if self.unfinished_tasks == 0:
            self._joiners.notify()

    def join(self, timeout=None):
        if self.unfinished_tasks:
            return self._joiners.wait(timeout)
        return True
