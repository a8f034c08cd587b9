//! The write queue: batches of writes go to IndexedDB one after the other, in the order the
//! changes were made, each batch the moment it is queued (there is no save button). The queue
//! reports how many batches are pending and every failure. Only the app shell writes records
//! (state/port.rs), through its one queue ([`shared`]).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;

use crate::services::db::{self, StorageError};
use crate::state::Write;

/// What the queue reports after each batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// Batches still queued or running.
    pub pending: usize,
    /// A batch has just finished (else: one was queued).
    pub done: bool,
    /// The failure of the batch just finished, if it failed.
    pub error: Option<StorageError>,
}

/// A sequential write queue.
#[derive(Clone, Default)]
pub struct Writer {
    queue: Rc<RefCell<VecDeque<Vec<Write>>>>,
    running: Rc<Cell<bool>>,
}

thread_local! {
    static SHARED: Writer = Writer::default();
}

/// The shell's write queue.
pub fn shared() -> Writer {
    SHARED.with(Writer::clone)
}

impl Writer {
    /// Queues a batch; `report` is called when the queue changes.
    pub fn enqueue(&self, batch: Vec<Write>, report: Rc<dyn Fn(Progress)>) {
        if batch.is_empty() {
            return;
        }
        self.queue.borrow_mut().push_back(batch);
        report(Progress {
            pending: self.queue.borrow().len() + usize::from(self.running.get()),
            done: false,
            error: None,
        });
        if self.running.get() {
            return;
        }
        self.running.set(true);
        let queue = self.queue.clone();
        let running = self.running.clone();
        spawn_local(async move {
            loop {
                let next = queue.borrow_mut().pop_front();
                let Some(batch) = next else { break };
                let result = db::write(&batch).await;
                report(Progress {
                    pending: queue.borrow().len(),
                    done: true,
                    error: result.err(),
                });
            }
            running.set(false);
        });
    }
}
