//! The console window of a double-click start. Windows gives a console program started from
//! Explorer a window of its own that closes the moment the program ends, taking the summary
//! with it; so a run started that way waits for a key press first. Started from a terminal
//! (cmd, PowerShell, a script, a scheduler) it never waits, and elsewhere neither.

/// Waits for a key press when this process alone owns its console window (started from
/// Explorer), saying so; otherwise returns at once.
pub fn pause_if_own_window() {
    if owns_console_window() {
        eprint!("按任意键关闭窗口…");
        wait_for_key();
        eprintln!();
    }
}

/// True when the console's process list holds only this process and its standard input is
/// that console: a window Explorer opened for this program, which closes when it ends. A
/// parent shell would be in the list; a redirected input (a script, a test) is no console.
#[cfg(windows)]
fn owns_console_window() -> bool {
    use windows_sys::Win32::System::Console::{
        GetConsoleMode, GetConsoleProcessList, GetStdHandle, STD_INPUT_HANDLE,
    };
    let mut ids = [0u32; 4];
    // SAFETY: the buffer is valid for `ids.len()` process ids; the call writes no more.
    let count = unsafe { GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) };
    if count != 1 {
        return false;
    }
    let mut mode = 0u32;
    // SAFETY: GetStdHandle takes no pointer; GetConsoleMode writes one u32 into `mode`.
    unsafe {
        let input = GetStdHandle(STD_INPUT_HANDLE);
        GetConsoleMode(input, &mut mode) != 0
    }
}

#[cfg(not(windows))]
fn owns_console_window() -> bool {
    false
}

/// Reads console input until a key goes down (line input off, so any key will do).
#[cfg(windows)]
fn wait_for_key() {
    use windows_sys::Win32::System::Console::{
        FlushConsoleInputBuffer, GetStdHandle, ReadConsoleInputW, SetConsoleMode, INPUT_RECORD, KEY_EVENT,
        STD_INPUT_HANDLE,
    };
    // SAFETY: the handle is this process's standard input, checked to be a console; the
    // record buffer holds one INPUT_RECORD (plain data, valid when zeroed) and the call reads
    // at most one.
    unsafe {
        let input = GetStdHandle(STD_INPUT_HANDLE);
        SetConsoleMode(input, 0);
        FlushConsoleInputBuffer(input);
        loop {
            let mut record: INPUT_RECORD = std::mem::zeroed();
            let mut read = 0u32;
            if ReadConsoleInputW(input, &mut record, 1, &mut read) == 0 || read == 0 {
                return;
            }
            if u32::from(record.EventType) == KEY_EVENT && record.Event.KeyEvent.bKeyDown != 0 {
                return;
            }
        }
    }
}

#[cfg(not(windows))]
fn wait_for_key() {}

#[cfg(test)]
mod tests {
    #[test]
    fn a_test_process_never_waits() {
        // Under `cargo test` standard input is no console of the test's own.
        assert!(!super::owns_console_window());
        super::pause_if_own_window();
    }
}
