// Log in, or create an account (behind the "Create account" button so the
// view has one "Email" and one "Password" field at a time).
import { useState } from 'preact/hooks';
import { useMutation } from '@urql/preact';
import { graphql } from '../gql';
import { errorText } from '../errors';
import { setToken } from '../session';

const LogIn = graphql(`
  mutation LogIn($input: LogInInput!) {
    logIn(input: $input) {
      token
    }
  }
`);

const SignUp = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      token
    }
  }
`);

export function Auth() {
  const [mode, setMode] = useState<'login' | 'signup'>('login');
  return (
    <section class="auth card">
      {mode === 'login' ? <LogInForm /> : <SignUpForm />}
      <p>
        {mode === 'login' ? 'New here? ' : 'Already have an account? '}
        <button type="button" class="link" onClick={() => setMode(mode === 'login' ? 'signup' : 'login')}>
          {mode === 'login' ? 'Create account' : 'Log in instead'}
        </button>
      </p>
    </section>
  );
}

function LogInForm() {
  const [state, logIn] = useMutation(LogIn);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await logIn({ input: { email, password } });
        if (r.data) setToken(r.data.logIn.token);
      }}
    >
      <h2>Log in</h2>
      <Field label="Email" type="email" value={email} onInput={setEmail} autocomplete="email" />
      <Field label="Password" type="password" value={password} onInput={setPassword} autocomplete="current-password" />
      {state.error && <p role="alert">{errorText(state.error)}</p>}
      <button type="submit" disabled={state.fetching}>
        Log in
      </button>
    </form>
  );
}

function SignUpForm() {
  const [state, signUp] = useMutation(SignUp);
  const [f, setF] = useState({ name: '', handle: '', email: '', password: '' });
  const set = (k: keyof typeof f) => (v: string) => setF({ ...f, [k]: v });
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await signUp({ input: f });
        if (r.data) setToken(r.data.signUp.token);
      }}
    >
      <h2>Create account</h2>
      <Field label="Name" value={f.name} onInput={set('name')} autocomplete="name" />
      <Field label="Handle" value={f.handle} onInput={set('handle')} autocomplete="username" hint="Letters, digits and _; how people find you." />
      <Field label="Email" type="email" value={f.email} onInput={set('email')} autocomplete="email" />
      <Field label="Password" type="password" value={f.password} onInput={set('password')} autocomplete="new-password" hint="At least 8 characters." />
      {state.error && <p role="alert">{errorText(state.error)}</p>}
      <button type="submit" disabled={state.fetching}>
        Sign up
      </button>
    </form>
  );
}

let fieldIds = 0;

/** A labelled input; the label is its accessible name. */
export function Field(props: {
  label: string;
  value: string;
  onInput: (v: string) => void;
  type?: string;
  autocomplete?: string;
  hint?: string;
  required?: boolean;
  multiline?: boolean;
  list?: string;
}) {
  const [id] = useState(() => `f${++fieldIds}`);
  const common = {
    id,
    value: props.value,
    'aria-describedby': props.hint ? `${id}-hint` : undefined,
    onInput: (e: Event) => props.onInput((e.target as HTMLInputElement).value),
  };
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} rows={3} />
      ) : (
        <input {...common} type={props.type ?? 'text'} autoComplete={props.autocomplete} required={props.required ?? true} list={props.list} />
      )}
      {props.hint && (
        <small id={`${id}-hint`} class="muted">
          {props.hint}
        </small>
      )}
    </div>
  );
}
